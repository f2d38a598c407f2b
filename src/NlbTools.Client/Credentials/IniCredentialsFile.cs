using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NlbTools.Client.Credentials
{
    /// <summary>One [section] of the shared credentials ini file.</summary>
    internal sealed class IniSection
    {
        private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public IniSection(string name, int line, string filePath)
        {
            Name = name;
            Line = line;
            FilePath = filePath;
        }

        public string Name { get; }
        public int Line { get; }
        public string FilePath { get; }
        public string? Type => this["type"];

        public string? this[string key] => _values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        internal void Set(string key, string value) => _values[key] = value;

        public string Required(string key)
            => this[key] ?? throw new NlbCredentialsException($"{FilePath}: [{Name}] (line {Line}, type {Type}) has no {key}.");
    }

    /// <summary>
    /// ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE): sections named by profile, key "type"
    /// selects access_key, ecs_ram_role, ram_role_arn or oidc_role_arn.
    /// </summary>
    internal sealed class IniCredentialsFile
    {
        private IniCredentialsFile(string path, IReadOnlyList<IniSection> sections)
        {
            FilePath = path;
            Sections = sections;
        }

        public string FilePath { get; }
        public IReadOnlyList<IniSection> Sections { get; }

        public IniSection? Find(string name) => Sections.FirstOrDefault(s => s.Name == name);

        /// <summary>
        /// The file to read, or null when there is none. ALIBABA_CLOUD_CREDENTIALS_FILE wins (returned even when
        /// missing, so the caller can say so). Otherwise ~/.alibabacloud/credentials, the path of credentials-go,
        /// Java and Python; then ~/.alibabacloud/credentials.ini, which is what the C# library actually reads
        /// (AuthConstant.GetDefaultFilePath) despite its doc comment. We accept both so that either habit works.
        /// </summary>
        public static string? PathFor(CredentialsEnvironment env, out string described)
        {
            var overridden = env.Variable("ALIBABA_CLOUD_CREDENTIALS_FILE");
            if (overridden != null)
            {
                described = overridden + " (ALIBABA_CLOUD_CREDENTIALS_FILE)";
                return overridden;
            }
            var folder = Path.Combine(env.HomeDirectory, ".alibabacloud");
            var plain = Path.Combine(folder, "credentials");
            var ini = Path.Combine(folder, "credentials.ini");
            described = $"{plain} (or credentials.ini)";
            if (File.Exists(plain)) return plain;
            if (File.Exists(ini)) return ini;
            return null;
        }

        /// <summary>Reads and checks the file. Errors name the file and the line, never the line's content.</summary>
        public static IniCredentialsFile Load(string path)
        {
            string[] lines;
            try { lines = File.ReadAllLines(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new NlbCredentialsException($"{path}: cannot be read ({e.GetType().Name}).");
            }

            var sections = new List<IniSection>();
            IniSection? current = null;
            for (int i = 0; i < lines.Length; i++)
            {
                var lineNumber = i + 1;
                var line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#' || line[0] == ';') continue;
                if (line[0] == '[')
                {
                    if (line[line.Length - 1] != ']' || line.Length < 3)
                        throw new NlbCredentialsException($"{path}: line {lineNumber}: a section header must look like [name].");
                    var name = line.Substring(1, line.Length - 2).Trim();
                    if (sections.Any(s => s.Name == name))
                        throw new NlbCredentialsException($"{path}: line {lineNumber}: section [{name}] appears twice.");
                    current = new IniSection(name, lineNumber, path);
                    sections.Add(current);
                    continue;
                }
                var equals = line.IndexOfAny(new[] { '=', ':' });
                if (equals <= 0)
                    throw new NlbCredentialsException($"{path}: line {lineNumber}: expected 'key = value' or '[section]'.");
                if (current == null)
                    throw new NlbCredentialsException($"{path}: line {lineNumber}: a key appears before the first [section].");
                var key = line.Substring(0, equals).Trim();
                var value = Unquote(line.Substring(equals + 1).Trim());
                current.Set(key, value);
            }
            return new IniCredentialsFile(path, sections);
        }

        private static string Unquote(string value)
        {
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0])
                return value.Substring(1, value.Length - 2);
            return value;
        }
    }
}
