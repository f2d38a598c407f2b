using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using NlbTools.Base;

namespace NlbTools.Emulator
{
    /// <summary>
    /// The absolute path of the dotnet host that runs the bundled emulator. Never the bare name "dotnet": on
    /// Windows that also finds a dotnet.exe planted in the current directory, and a relative PATH entry does the
    /// same on every platform. Looked for in: the process running us (dotnet pwsh), DOTNET_HOST_PATH, the
    /// running runtime's own install, DOTNET_ROOT, then the absolute PATH entries other than the current directory.
    /// </summary>
    internal static class DotnetHost
    {

        /// <summary>What the search reads; tests give their own.</summary>
        internal sealed class Inputs
        {
            public string? MainModule { get; set; }
            public string? HostPathVariable { get; set; }
            public string? RuntimeDirectory { get; set; }
            public string? DotnetRoot { get; set; }
            public string? PathVariable { get; set; }
            public string CurrentDirectory { get; set; } = "";
            public bool IsWindows { get; set; }
            public Func<string, bool> Exists { get; set; } = File.Exists;
        }

        public static string? Find() => Find(FromProcess());

        internal static string? Find(Inputs inputs)
        {
            var exe = inputs.IsWindows ? "dotnet.exe" : "dotnet";
            foreach (var candidate in Candidates(inputs, exe))
            {
                if (string.IsNullOrEmpty(candidate) || !Path.IsPathRooted(candidate)) continue;
                string full;
                try { full = Path.GetFullPath(candidate); }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException) { continue; }
                if (!string.Equals(Path.GetFileName(full), exe, inputs.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) continue;
                if (SameDirectory(Path.GetDirectoryName(full), inputs.CurrentDirectory, inputs.IsWindows)) continue;
                if (inputs.Exists(full)) return full;
            }
            return null;
        }

        private static IEnumerable<string?> Candidates(Inputs inputs, string exe)
        {
            yield return inputs.MainModule;
            yield return inputs.HostPathVariable;
            if (!string.IsNullOrEmpty(inputs.RuntimeDirectory))
            {
                // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
                var version = new DirectoryInfo(inputs.RuntimeDirectory!.TrimEnd('/', '\\'));
                var root = version.Parent?.Parent?.Parent;
                if (root != null) yield return Path.Combine(root.FullName, exe);
            }
            if (!string.IsNullOrEmpty(inputs.DotnetRoot)) yield return Path.Combine(inputs.DotnetRoot!, exe);
            foreach (var entry in (inputs.PathVariable ?? "").Split(Path.PathSeparator))
            {
                var dir = entry.Trim().Trim('"');
                if (dir.Length == 0 || !Path.IsPathRooted(dir)) continue; // "", ".", "bin": relative to the working directory
                yield return Path.Combine(dir, exe);
            }
        }

        private static bool SameDirectory(string? a, string b, bool ignoreCase)
        {
            if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b)) return false;
            string Norm(string p) => Path.GetFullPath(p).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return string.Equals(Norm(a!), Norm(b), ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }

        internal static Inputs FromProcess()
        {
            string? mainModule = null;
            try
            {
                using var self = Process.GetCurrentProcess();
                var exe = self.MainModule?.FileName;
                if (string.Equals(Path.GetFileNameWithoutExtension(exe ?? ""), "dotnet", StringComparison.OrdinalIgnoreCase)) mainModule = exe;
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is NotSupportedException) { }
            return new Inputs
            {
                MainModule = mainModule,
                HostPathVariable = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
                RuntimeDirectory = RuntimeEnvironment.GetRuntimeDirectory(),
                DotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT"),
                PathVariable = Environment.GetEnvironmentVariable("PATH"),
                CurrentDirectory = Directory.GetCurrentDirectory(),
                IsWindows = Path.DirectorySeparatorChar == '\\',
            };
        }

        public static ErrorRecord NotFound()
        {
            const string message = "Start-NlbEmulator needs the dotnet host (the .NET 10 runtime) to run the emulator and found none: it looks at the "
                + "process running PowerShell, DOTNET_HOST_PATH, the running runtime's install directory, DOTNET_ROOT and the absolute PATH "
                + "entries (never the current directory or a relative PATH entry). Install the .NET runtime, or set DOTNET_ROOT to its directory.";
            return new ErrorRecord(new FileNotFoundException(message), ErrorIds.DotnetNotFound, ErrorCategory.ObjectNotFound, null)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Set DOTNET_ROOT to the folder that holds dotnet, e.g. $env:DOTNET_ROOT = '/usr/share/dotnet'." },
            };
        }
    }
}
