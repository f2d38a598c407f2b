using System;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Emulator;
using NlbTools.Session;

namespace NlbTools.Commands
{
    /// <summary>Ends an emulator started by Start-NlbEmulator (by default: every one this session started).</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NlbEmulator", DefaultParameterSetName = AllSet)]
    [OutputType(typeof(void))]
    public sealed class StopNlbEmulatorCommand : PSCmdlet
    {
        private const string AllSet = "All";
        private const string InputObjectSet = "InputObject";
        private const string ProcessIdSet = "ProcessId";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public NlbEmulatorInfo? InputObject { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProcessIdSet)]
        public int ProcessId { get; set; }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    Stop(InputObject!.ProcessId, InputObject.Endpoint);
                    break;
                case ProcessIdSet:
                    Stop(ProcessId, EmulatorProcesses.Running().FirstOrDefault(r => r.ProcessId == ProcessId)?.Endpoint);
                    break;
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName != AllSet) return;
            foreach (var info in EmulatorProcesses.Running()) Stop(info.ProcessId, info.Endpoint);
        }

        private void Stop(int processId, string? endpoint)
        {
            if (!EmulatorProcesses.Stop(processId))
            {
                var error = new ArgumentException($"No emulator started by Start-NlbEmulator in this session has process id {processId}.");
                WriteError(new ErrorRecord(error, ErrorIds.EmulatorNotRunning, ErrorCategory.ObjectNotFound, processId));
                return;
            }
            if (endpoint == null) return;
            var uri = new Uri(endpoint);
            NlbSession.ForgetClients((_, clientEndpoint) => clientEndpoint != null && Uri.Compare(clientEndpoint, uri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);
            // A context that points at the stopped emulator would only produce connection errors.
            var current = NlbSession.Current;
            if (current?.Endpoint != null && Uri.Compare(current.Endpoint, uri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
                NlbSession.Replace(null);
        }
    }
}
