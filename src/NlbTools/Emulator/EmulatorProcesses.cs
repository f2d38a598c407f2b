using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace NlbTools.Emulator
{
    /// <summary>The emulators this process started (the bundled NlbTools.Emulator, run with dotnet).</summary>
    internal static class EmulatorProcesses
    {
        private static readonly object s_gate = new object();
        private static readonly List<(NlbEmulatorInfo Info, Process Process, Guid? Owner)> s_running = new List<(NlbEmulatorInfo, Process, Guid?)>();

        public static string EmulatorPath
            => Path.Combine(Path.GetDirectoryName(typeof(EmulatorProcesses).Assembly.Location) ?? ".", "emulator", "NlbTools.Emulator.dll");

        /// <summary>Starts the emulator; the returned task completes with its first stdout line parsed.</summary>
        public static (Process Process, Task<string> FirstLine, Func<string> ErrorTail) Launch(IEnumerable<string> arguments)
        {
            var command = new[] { DotnetHost.Find() ?? throw new FileNotFoundException("The dotnet host was not found."), EmulatorPath }.Concat(arguments).ToList();
            var detach = DetachCommand();
            if (detach != null) command.InsertRange(0, detach);
            var start = new ProcessStartInfo(command[0], Quote(command.Skip(1)))            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                CreateNoWindow = true,
            };
            var firstLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var errors = new ConcurrentQueue<string>();
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            // Both streams are read to the end so the emulator never blocks on a full pipe.
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null) firstLine.TrySetException(new InvalidOperationException("The emulator exited before it was ready."));
                else firstLine.TrySetResult(e.Data);
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                errors.Enqueue(e.Data);
                while (errors.Count > 20) errors.TryDequeue(out string _);
            };
            process.Exited += (_, __) => firstLine.TrySetException(new InvalidOperationException("The emulator exited before it was ready."));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return (process, firstLine.Task, () =>
            {
                // An emulator that exited (a bad state file) may not have had its last stderr lines read yet:
                // WaitForExit() without a timeout also waits for the redirected streams to reach their end.
                // (Its stdout may close a moment before it has exited: give it that moment.)
                try { if (process.WaitForExit(2000)) process.WaitForExit(); }
                catch (InvalidOperationException) { } // already disposed
                return string.Join(Environment.NewLine, errors);
            });
        }

        /// <summary>Reads {"Endpoint","AccessKeyId","AccessKeySecret"} from the ready line.</summary>
        public static NlbEmulatorInfo Parse(string line, int processId, string? statePath)
        {
            var json = JObject.Parse(line);
            return new NlbEmulatorInfo
            {
                Endpoint = (string?)json["Endpoint"],
                AccessKeyId = (string?)json["AccessKeyId"],
                AccessKeySecret = (string?)json["AccessKeySecret"],
                ProcessId = processId,
                StatePath = statePath,
            };
        }

        /// <summary><paramref name="owner"/>: the runspace that started it, so Stop-NlbEmulator without arguments stops only its own.</summary>
        public static void Register(NlbEmulatorInfo info, Process process, Guid? owner)
        {
            lock (s_gate) s_running.Add((info, process, owner));
        }

        /// <summary>The running emulators of this process, or with <paramref name="owner"/> those that runspace started.</summary>
        public static List<NlbEmulatorInfo> Running(Guid? owner = null)
        {
            lock (s_gate)
            {
                s_running.RemoveAll(r => HasExited(r.Process));
                return s_running.Where(r => owner == null || r.Owner == owner).Select(r => r.Info).ToList();
            }
        }

        /// <summary>
        /// Ends an emulator this process started; false when there is none with that id. Only our own children
        /// are ended, so a mistyped id can never kill an unrelated process.
        /// </summary>
        public static bool Stop(int processId)
        {
            Process? process;
            lock (s_gate)
            {
                var index = s_running.FindIndex(r => r.Info.ProcessId == processId);
                if (index < 0) return false;
                process = s_running[index].Process;
                s_running.RemoveAt(index);
            }
            using (process)
            {
                if (!HasExited(process))
                {
                    try { process.Kill(); } catch (InvalidOperationException) { }
                    process.WaitForExit(5000);
                }
            }
            return true;
        }

        public static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited) process.Kill();
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }

        private static bool HasExited(Process p)
        {
            try { return p.HasExited; }
            catch (InvalidOperationException) { return true; }
        }

        /// <summary>
        /// Ctrl+C at the terminal signals its whole foreground process group; the emulator must not be in it (it ends
        /// with this process through --parent-pid instead). On Unix it starts through setsid (a new session; setsid
        /// execs, so the process id stays the emulator's), else through perl's setpgrp (macOS has no setsid).
        /// On Windows nothing is needed: CreateNoWindow gives the child its own hidden console, which the
        /// terminal's Ctrl+C does not reach. Null when the child is started directly.
        /// </summary>
        internal static string[]? DetachCommand()
        {
            if (Path.DirectorySeparatorChar == '\\') return null;
            var setsid = FindExecutable("setsid");
            if (setsid != null) return new[] { setsid };
            var perl = FindExecutable("perl");
            return perl != null ? new[] { perl, "-e", "setpgrp(0, 0); exec { $ARGV[0] } @ARGV or die \"exec: $!\"" } : null;
        }

        /// <summary>An absolute path from the standard directories, then PATH's absolute entries (never the working directory).</summary>
        private static string? FindExecutable(string name)
        {
            var dirs = new List<string> { "/usr/bin", "/bin", "/usr/local/bin" };
            dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(Path.IsPathRooted));
            return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        }

        /// <summary>Windows-style quoting that the .NET argument parser reads back on every platform.</summary>
        private static string Quote(IEnumerable<string> args)
        {
            var sb = new StringBuilder();
            foreach (var arg in args)
            {
                if (sb.Length > 0) sb.Append(' ');
                if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '"' }) < 0)
                {
                    sb.Append(arg);
                    continue;
                }
                sb.Append('"');
                var backslashes = 0;
                foreach (var c in arg)
                {
                    if (c == '\\') { backslashes++; continue; }
                    if (c == '"') { sb.Append('\\', backslashes * 2 + 1); sb.Append('"'); }
                    else { sb.Append('\\', backslashes); sb.Append(c); }
                    backslashes = 0;
                }
                sb.Append('\\', backslashes * 2);
                sb.Append('"');
            }
            return sb.ToString();
        }
    }
}
