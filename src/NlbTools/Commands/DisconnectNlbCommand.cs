using System.Management.Automation;
using NlbTools.Session;

namespace NlbTools.Commands
{
    /// <summary>Clears the context (of every runspace in this process, as in Az); later calls use the environment and profile files again.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Nlb")]
    [OutputType(typeof(void))]
    public sealed class DisconnectNlbCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            NlbSession.Replace(null);
            CredentialSources.Shared.Reset();
        }
    }
}
