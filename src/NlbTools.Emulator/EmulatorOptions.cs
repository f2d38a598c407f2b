using System.Globalization;

namespace NlbTools.Emulator;

/// <summary>The command line (design.md "Emulator command line", plus --parent-pid).</summary>
internal sealed class EmulatorOptions
{
    public int Port { get; set; }
    public string Host { get; set; } = "127.0.0.1";
    public string? StatePath { get; set; }
    public int JobDurationMs { get; set; } = 1500;
    public int LatencyMs { get; set; }
    /// <summary>Exit when this process exits (Start-NlbEmulator passes the PowerShell process).</summary>
    public int? ParentPid { get; set; }
    /// <summary>Identity/: temporary credentials (STS, ECS metadata) expire after this many seconds instead of the requested duration.</summary>
    public int? CredentialsTtlSeconds { get; set; }
    /// <summary>Identity/: the RAM role the ECS metadata service reports as attached.</summary>
    public string EcsRoleName { get; set; } = "NlbToolsEmulatorRole";
    /// <summary>When set, /_emulator/* needs it in an X-Emulator-Token header (from any caller). Required with a non-loopback --host.</summary>
    public string? ControlToken { get; set; }

    public const string ControlTokenHeader = "X-Emulator-Token";

    /// <summary>True for a loopback address or "localhost"; a name is taken as reachable from elsewhere.</summary>
    public bool IsLoopbackHost => string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(Host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>What the emulator prints on stderr when it listens beyond loopback.</summary>
    public string ExposureWarning =>
        $"NlbTools.Emulator: warning: --host {Host} is not a loopback address. Anyone who can reach it can call the API with the printed key, " +
        "and the ECS metadata and AssumeRoleWithOIDC routes hand out credentials without a signature (they are test conveniences). " +
        $"/_emulator/* needs the --control-token value in an {ControlTokenHeader} header.";

    /// <summary>Quotas/: --rate-limit Action=PerSecond[:Burst] (repeatable) and --rate-limit-retry-after.</summary>
    public Quotas.RateLimitConfig RateLimits { get; } = new();

    public const string Usage =
        "usage: NlbTools.Emulator [--port N] [--host ADDRESS] [--state FILE] [--job-duration-ms N] [--latency-ms N] [--parent-pid PID]\n" +
        "                         [--credentials-ttl-seconds N] [--ecs-role NAME] [--control-token TOKEN | --control-token-file FILE]\n" +
        "                         [--rate-limit Action=PerSecond[:Burst]]... [--rate-limit-retry-after]\n" +
        "  --port N             port to listen on; 0 (default) picks a free port\n" +
        "  --host ADDRESS       address to bind; default 127.0.0.1 (loopback); anything else warns and needs --control-token\n" +
        "  --state FILE         seed state (JSON); default: the built-in demo state\n" +
        "  --job-duration-ms N  how long asynchronous jobs stay Processing; default 1500\n" +
        "  --latency-ms N       delay added to every API answer; default 0\n" +
        "  --parent-pid PID     exit when process PID exits\n" +
        "  --credentials-ttl-seconds N  STS and ECS metadata credentials expire after N s (default: as requested)\n" +
        "  --ecs-role NAME      the RAM role the ECS metadata paths report; default NlbToolsEmulatorRole\n" +
        "  --control-token TOKEN  16 to 256 printable ASCII characters; /_emulator/* then needs it in an X-Emulator-Token header\n" +
        "  --control-token-file FILE  the token from FILE's first line, kept out of the process list (ps shows arguments)\n" +
        "  --rate-limit A=R[:B] quota per AccessKeyId for action A: R per second, bucket of B (default R); repeatable; default none\n" +
        "  --rate-limit-retry-after  quota refusals carry x-acs-retry-after (ms until a token is free)\n" +
        "The first line on stdout is {\"Endpoint\",\"AccessKeyId\",\"AccessKeySecret\"}.";

    // Never echoes the value: it is a secret.
    private static string Token(string value)
    {
        if (value.Length < 16 || value.Length > 256 || value.Any(c => c < '!' || c > '~'))
            throw new ArgumentException("--control-token must be 16 to 256 printable ASCII characters without spaces.");
        return value;
    }

    /// <summary>The first line of a small file; the file, not the token, is named in errors.</summary>
    private static string TokenFromFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ArgumentException($"--control-token-file '{path}' does not exist.");
            if (info.Length > 4096) throw new ArgumentException($"--control-token-file '{path}' is over 4 KiB; it should hold one token.");
            var first = File.ReadLines(path).FirstOrDefault() ?? "";
            return Token(first.Trim());
        }
        catch (IOException e)
        {
            throw new ArgumentException($"--control-token-file '{path}' cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ArgumentException($"--control-token-file '{path}' cannot be read: access denied.");
        }
    }

    /// <summary>Throws ArgumentException with a message fit for the user.</summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var o = new EmulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value.");
                return args[++i];
            }
            int Number(int min, int max)
            {
                var raw = Value();
                if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                    throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{raw}'.");
                return n;
            }
            switch (name)
            {
                case "--port": o.Port = Number(0, 65535); break;
                case "--host": o.Host = Value(); break;
                case "--state": o.StatePath = Value(); break;
                case "--job-duration-ms": o.JobDurationMs = Number(0, 3_600_000); break;
                case "--latency-ms": o.LatencyMs = Number(0, 600_000); break;
                case "--parent-pid": o.ParentPid = Number(1, int.MaxValue); break;
                case "--credentials-ttl-seconds": o.CredentialsTtlSeconds = Number(1, 43200); break;
                case "--ecs-role": o.EcsRoleName = Value(); break;
                case "--control-token": o.ControlToken = Token(Value()); break;
                case "--control-token-file": o.ControlToken = TokenFromFile(Value()); break;
                case "--rate-limit":
                    var (action, limit) = Quotas.RateLimiter.ParseOption(Value());
                    o.RateLimits.Limits[action] = limit;
                    break;
                case "--rate-limit-retry-after": o.RateLimits.RetryAfter = true; break;
                default: throw new ArgumentException($"unknown option '{name}'.");
            }
        }
        if (!o.IsLoopbackHost && o.ControlToken == null)
            throw new ArgumentException($"--host {o.Host} is not a loopback address, so --control-token is required: the control endpoints /_emulator/* (reset, faults, state with secrets) would otherwise answer anyone who can reach the port.");
        return o;
    }
}
