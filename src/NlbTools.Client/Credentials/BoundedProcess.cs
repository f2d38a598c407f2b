using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Runs a helper (process_command) under one deadline that covers its standard output too. A helper that
    /// prints and exits but leaves a background child holding the pipe does not keep the caller waiting: once
    /// the helper has exited, its output is taken after a short grace. On timeout the whole process tree is killed.
    /// </summary>
    internal static class BoundedProcess
    {
        /// <summary>After the helper exits, how long the pipe may take to report its end (a lingering child keeps it open).</summary>
        private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

        /// <summary>Credentials JSON is a few hundred bytes; more is not read.</summary>
        public const int MaxOutputChars = 64 * 1024;

        public sealed class Outcome
        {
            public bool TimedOut { get; set; }
            public int ExitCode { get; set; }
            public string Output { get; set; } = "";
            public bool OutputTooLarge { get; set; }
        }

        public static async Task<Outcome> RunAsync(ProcessStartInfo start, TimeSpan timeout, string where)
        {
            var clock = Stopwatch.StartNew();
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.Exited += (_, __) => exited.TrySetResult(true);
            try { process.Start(); }
            catch (Exception e) { throw new NlbCredentialsException($"{where} could not start: {e.Message}"); }
            try { process.StandardInput.Close(); } catch (IOException) { } // a helper that exits at once closes its end first

            var output = new StringBuilder();
            var tooLarge = false;
            var stdoutDone = ReadBoundedAsync(process.StandardOutput, output, () => tooLarge = true);
            _ = DrainAsync(process.StandardError); // never shown (it may hold secrets); read so the helper never blocks on it

            if (await Task.WhenAny(exited.Task, Task.Delay(timeout)).ConfigureAwait(false) != exited.Task)
            {
                KillTree(process);
                return new Outcome { TimedOut = true };
            }

            var left = timeout - clock.Elapsed;
            var grace = left < OutputGrace ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : OutputGrace;
            await Task.WhenAny(stdoutDone, Task.Delay(grace)).ConfigureAwait(false);
            string text;
            lock (output) text = output.ToString();
            return new Outcome { ExitCode = process.ExitCode, Output = text, OutputTooLarge = tooLarge };
        }

        private static async Task ReadBoundedAsync(StreamReader reader, StringBuilder into, Action overflow)
        {
            var buffer = new char[4096];
            try
            {
                int read;
                while ((read = await reader.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                {
                    lock (into)
                    {
                        if (into.Length + read > MaxOutputChars) { overflow(); return; }
                        into.Append(buffer, 0, read);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidOperationException) { }
        }

        private static async Task DrainAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            try
            {
                while (await reader.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false) > 0) { }
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidOperationException) { }
        }

        // Process.Kill(bool entireProcessTree) exists from .NET Core 3.0; netstandard2.0 cannot name it.
        private static readonly MethodInfo? s_killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

        /// <summary>The helper and every process it started (a shell's children keep running after the shell is killed).</summary>
        internal static void KillTree(Process process)
        {
            try
            {
                if (s_killTree != null) s_killTree.Invoke(process, new object[] { true });
                else if (Path.DirectorySeparatorChar == '\\') TaskKill(process.Id);
                else process.Kill();
            }
            catch (TargetInvocationException) { }
            catch (InvalidOperationException) { } // already exited
            catch (System.ComponentModel.Win32Exception) { }
        }

        /// <summary>.NET Framework on Windows: taskkill /T from System32 (an absolute path, never a planted copy).</summary>
        private static void TaskKill(int processId)
        {
            var system = Environment.GetFolderPath(Environment.SpecialFolder.System);
            var start = new ProcessStartInfo(Path.Combine(system, "taskkill.exe"), $"/PID {processId} /T /F")
            {
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            using var taskkill = Process.Start(start);
            taskkill?.WaitForExit(5000);
        }
    }
}
