using System.Management.Automation;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client.Credentials;
using NlbTools.Session;

namespace NlbTools.Commands
{
    /// <summary>Shows the region, endpoint, credential source and masked AccessKeyId in effect. Never the secret.</summary>
    [Cmdlet(VerbsCommon.Get, "NlbContext")]
    [OutputType(typeof(NlbContext))]
    public sealed class GetNlbContextCommand : NlbCancellableCmdlet
    {
        protected override void EndProcessing()
        {
            var session = NlbSession.Current;
            var provider = session?.Provider ?? CredentialSources.DefaultChain();
            NlbCredentials? credentials = null;
            try
            {
                var token = CancelToken;
                credentials = Await(Task.Run(() => provider.GetCredentialsAsync(token), token));
            }
            catch (NlbCredentialsException e)
            {
                WriteWarning(ErrorRecords.Credentials(e).ErrorDetails.Message);
            }
            WriteObject(Describe(session, provider, credentials));
        }

        internal static NlbContext Describe(SessionContext? session, ICredentialsProvider provider, NlbCredentials? credentials)
        {
            var region = session?.RegionId ?? CredentialSources.DefaultRegionId();
            var endpoint = session?.Endpoint?.ToString()
                           ?? (region != null ? $"https://nlb.{region}.aliyuncs.com" : null);
            return new NlbContext
            {
                RegionId = region,
                Endpoint = endpoint,
                CredentialSource = credentials?.Source ?? provider.Source,
                AccessKeyId = credentials?.MaskedAccessKeyId,
                Expiration = credentials?.Expiration,
                Profile = session?.Profile,
                IsConnected = session != null,
            };
        }
    }
}
