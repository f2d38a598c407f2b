using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace NlbTools.Client.Credentials
{
    /// <summary>One profile of the aliyun CLI's config.json, with the keys the credentials libraries read.</summary>
    internal sealed class CliProfile
    {
        private readonly Dictionary<string, string> _values;

        public CliProfile(string name, string mode, Dictionary<string, string> values, string filePath)
        {
            Name = name;
            Mode = mode;
            _values = values;
            FilePath = filePath;
        }

        public string Name { get; }
        /// <summary>Normalised to the CLI's spelling (the CLI compares modes case-insensitively).</summary>
        public string Mode { get; }
        public string FilePath { get; }

        public string? this[string key] => _values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        public string Required(string key)
            => this[key] ?? throw new NlbCredentialsException($"{FilePath}: profile '{Name}' (mode {Mode}) has no {key}.");
    }

    /// <summary>~/.aliyun/config.json: {"current": "...", "profiles": [{"name", "mode", ...}]}.</summary>
    internal sealed class CliConfigFile
    {
        private static readonly string[] KnownModes =
        {
            "AK", "StsToken", "RamRoleArn", "EcsRamRole", "RsaKeyPair", "RamRoleArnWithRoleName", "ChainableRamRoleArn",
            "External", "CredentialsURI", "OIDC", "CloudSSO", "OAuth", "BearerToken", "Anonymous",
        };

        private CliConfigFile(string path, string? current, IReadOnlyList<CliProfile> profiles)
        {
            FilePath = path;
            Current = current;
            Profiles = profiles;
        }

        public string FilePath { get; }
        public string? Current { get; }
        public IReadOnlyList<CliProfile> Profiles { get; }

        /// <summary>ALIBABA_CLOUD_CONFIG_FILE (credentials-go honours it), else ~/.aliyun/config.json.</summary>
        public static string PathFor(CredentialsEnvironment env)
            => env.Variable("ALIBABA_CLOUD_CONFIG_FILE") ?? Path.Combine(env.HomeDirectory, ".aliyun", "config.json");

        /// <summary>The profile's name as the credentials libraries pick it: explicit, ALIBABA_CLOUD_PROFILE, current, "default".</summary>
        public string SelectProfileName(CredentialsEnvironment env, string? explicitName)
            => explicitName ?? env.Variable("ALIBABA_CLOUD_PROFILE") ?? (string.IsNullOrEmpty(Current) ? "default" : Current!);

        public CliProfile? Find(string name) => Profiles.FirstOrDefault(p => p.Name == name);

        public CliProfile Get(string name)
            => Find(name) ?? throw new NlbCredentialsException(
                $"{FilePath}: no profile named '{name}' (profiles: {string.Join(", ", Profiles.Select(p => p.Name))}).");

        /// <summary>Reads and checks the file. Errors name the file and the line or field, never a value.</summary>
        public static CliConfigFile Load(string path)
        {
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new NlbCredentialsException($"{path}: cannot be read ({e.GetType().Name}).");
            }

            JToken root;
            try
            {
                root = CredentialsHttp.ParseToken(text);
            }
            catch (JsonReaderException e)
            {
                // Newtonsoft's own message may quote a character of the file (a secret, possibly): say where, not what.
                throw new NlbCredentialsException($"{path}: not valid JSON at line {e.LineNumber}, position {e.LinePosition}" +
                    (string.IsNullOrEmpty(e.Path) ? "." : $" (after '{e.Path}')."));
            }

            if (root is not JObject obj) throw new NlbCredentialsException($"{path}: the top level must be a JSON object.");
            var current = ReadString(obj, "current", path, "current");
            if (obj["profiles"] is not JArray array)
                throw new NlbCredentialsException($"{path}: 'profiles' is missing or not an array.");

            var profiles = new List<CliProfile>();
            for (int i = 0; i < array.Count; i++)
            {
                var where = $"profiles[{i}]";
                if (array[i] is not JObject p) throw new NlbCredentialsException($"{path}: {where} is not an object.");
                var name = ReadString(p, "name", path, where + ".name");
                if (string.IsNullOrEmpty(name)) throw new NlbCredentialsException($"{path}: {where} has no name.");
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in p.Properties())
                {
                    var value = ReadString(p, property.Name, path, $"{where}.{property.Name} (profile '{name}')");
                    if (value != null) values[property.Name] = value;
                }
                var rawMode = values.TryGetValue("mode", out var m) && m.Length > 0 ? m : "AK"; // the CLI's default mode
                var mode = KnownModes.FirstOrDefault(k => string.Equals(k, rawMode, StringComparison.OrdinalIgnoreCase)) ?? rawMode;
                profiles.Add(new CliProfile(name!, mode, values, path));
            }
            return new CliConfigFile(path, current, profiles);
        }

        /// <summary>Strings, numbers and booleans as text; null when absent; nested objects are rejected by name.</summary>
        private static string? ReadString(JObject obj, string key, string path, string field)
        {
            var token = obj[key];
            if (token == null || token.Type == JTokenType.Null) return null;
            switch (token.Type)
            {
                case JTokenType.String: return (string?)token;
                case JTokenType.Integer:
                case JTokenType.Float: return token.ToString(Formatting.None);
                case JTokenType.Boolean: return (bool)token ? "true" : "false";
                default:
                    // Keys the credentials libraries never read (e.g. plugin settings) may hold anything.
                    if (!IsCredentialKey(key)) return null;
                    var line = ((IJsonLineInfo)token).HasLineInfo() ? $" (line {((IJsonLineInfo)token).LineNumber})" : "";
                    throw new NlbCredentialsException($"{path}: {field} must be a string{line}.");
            }
        }

        private static bool IsCredentialKey(string key) => key is "current" or "name" or "mode" or "access_key_id" or "access_key_secret"
            or "sts_token" or "sts_region" or "ram_role_name" or "ram_role_arn" or "ram_session_name" or "external_id"
            or "source_profile" or "expired_seconds" or "region_id" or "process_command" or "credentials_uri"
            or "oidc_provider_arn" or "oidc_token_file" or "policy" or "enable_vpc";
    }
}
