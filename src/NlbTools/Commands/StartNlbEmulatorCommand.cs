using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Emulator;
using NlbTools.Session;

namespace NlbTools.Commands
{
    /// <summary>
    /// Starts the bundled NLB emulator as a child process on a free loopback port and waits until it is ready.
    /// It ends with Stop-NlbEmulator, or when this PowerShell process exits.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NlbEmulator")]
    [OutputType(typeof(NlbEmulatorInfo))]
    public sealed class StartNlbEmulatorCommand : NlbCancellableCmdlet
    {
        private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

        /// <summary>A state file to seed from (default: the built-in demo state).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? JobDurationMs { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? LatencyMs { get; set; }

        /// <summary>Make the emulator this session's context (like Connect-Nlb).</summary>
        [Parameter]
        public SwitchParameter Connect { get; set; }

        /// <summary>With -Connect: the region to use (default: the context's, else the emulator's first region).</summary>
        [Parameter]
        [Alias("Region")]
        [ValidateNotNullOrEmpty]
        public string? RegionId { get; set; }

        protected override void EndProcessing()
        {
            if (!File.Exists(EmulatorProcesses.EmulatorPath))
            {
                var missing = new FileNotFoundException($"The bundled emulator was not found at {EmulatorProcesses.EmulatorPath}.", EmulatorProcesses.EmulatorPath);
                ThrowTerminatingError(new ErrorRecord(missing, ErrorIds.EmulatorNotFound, ErrorCategory.ObjectNotFound, EmulatorProcesses.EmulatorPath));
            }

            string? state = null;
            if (StatePath != null)
            {
                state = GetUnresolvedProviderPathFromPSPath(StatePath);
                if (!File.Exists(state))
                    ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"State file {state} was not found.", state), ErrorIds.EmulatorStateNotFound, ErrorCategory.ObjectNotFound, StatePath));
            }

            var args = new List<string> { "--port", "0", "--host", "127.0.0.1" };
            using (var self = Process.GetCurrentProcess()) args.AddRange(new[] { "--parent-pid", self.Id.ToString(CultureInfo.InvariantCulture) });
            if (state != null) args.AddRange(new[] { "--state", state });
            if (JobDurationMs is int job) args.AddRange(new[] { "--job-duration-ms", job.ToString(CultureInfo.InvariantCulture) });
            if (LatencyMs is int latency) args.AddRange(new[] { "--latency-ms", latency.ToString(CultureInfo.InvariantCulture) });

            var (process, firstLine, errorTail) = EmulatorProcesses.Launch(args);
            NlbEmulatorInfo info;
            try
            {
                var ready = Task.WhenAny(firstLine, Task.Delay(s_readyTimeout, CancelToken));
                Await(ready);
                if (!firstLine.IsCompleted) throw new TimeoutException($"The emulator did not report ready within {s_readyTimeout.TotalSeconds} s.");
                info = EmulatorProcesses.Parse(firstLine.GetAwaiter().GetResult(), process.Id, state);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                var message = $"The emulator did not start: {e.Message} {errorTail()}".Trim(); // before Kill disposes the process
                EmulatorProcesses.Kill(process);
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message, e), ErrorIds.EmulatorStartFailed, ErrorCategory.OpenError, null));
                return;
            }
            catch (PipelineStoppedException)
            {
                EmulatorProcesses.Kill(process);
                throw;
            }

            EmulatorProcesses.Register(info, process);
            WriteVerbose($"Emulator {info.ProcessId} listens on {info.Endpoint} (AccessKeyId {NlbCredentials.Mask(info.AccessKeyId)}).");
            if (Connect) ConnectTo(info);
            WriteObject(info);
        }

        private void ConnectTo(NlbEmulatorInfo info)
        {
            var provider = new StaticCredentialsProvider(info.AccessKeyId!, info.AccessKeySecret!, null, "emulator");
            var endpoint = new Uri(info.Endpoint!);
            var region = RegionId ?? NlbSession.Current?.RegionId ?? CredentialSources.DefaultRegionId();
            if (region == null)
            {
                // The emulator's own first region keeps "Start-NlbEmulator -Connect; Get-NlbListener" working out of the box.
                var client = NlbSession.GetClient(provider, null, endpoint);
                var token = CancelToken;
                try
                {
                    var regions = Await(Task.Run(() => client.DescribeRegionsAsync(new DescribeRegionsRequest(), token), token));
                    region = regions.Regions.Select(r => r.RegionId).FirstOrDefault(r => !string.IsNullOrEmpty(r));
                }
                catch (NlbException e)
                {
                    WriteWarning($"Could not read the emulator's regions ({e.Code}); pass -RegionId to the cmdlets.");
                }
            }
            NlbSession.Replace(new SessionContext(provider, region, endpoint, null));
        }
    }
}
