using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client.Credentials;
using NlbTools.Completers;
using NlbTools.Session;

namespace NlbTools.Commands
{
    /// <summary>
    /// Sets the credentials, region and endpoint every NlbTools cmdlet uses in this PowerShell session.
    /// With no credential parameters it uses the default chain (environment, aliyun CLI profile, ...).
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Nlb", DefaultParameterSetName = DefaultChainSet)]
    [OutputType(typeof(NlbContext))]
    public sealed class ConnectNlbCommand : NlbCancellableCmdlet
    {
        private const string DefaultChainSet = "DefaultChain";
        private const string AccessKeySet = "AccessKey";
        private const string CredentialSet = "Credential";
        private const string ProfileSet = "Profile";

        [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileCompleter))]
        public string? Profile { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccessKeySet)]
        [ValidateNotNullOrEmpty]
        public string? AccessKeyId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccessKeySet)]
        [ValidateNotNull]
        public SecureString? AccessKeySecret { get; set; }

        /// <summary>UserName = AccessKeyId, Password = AccessKeySecret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>An STS token that goes with the key pair.</summary>
        [Parameter(ParameterSetName = AccessKeySet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        public SecureString? SecurityToken { get; set; }

        [Parameter]
        [Alias("Region")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionIdCompleter))]
        public string? RegionId { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        protected override void EndProcessing()
        {
            // Bad input: a clear error, and nothing sent (not even a credentials fetch).
            var endpointProblem = ConnectCheck.EndpointProblem(Endpoint);
            if (endpointProblem != null) ThrowTerminatingError(endpointProblem);

            ICredentialsProvider? given = null;
            ResolvedTarget target;
            try
            {
                if (ParameterSetName == AccessKeySet)
                    given = new StaticCredentialsProvider(AccessKeyId!, Plain(AccessKeySecret!) ?? "", Plain(SecurityToken), "explicit");
                else if (ParameterSetName == CredentialSet)
                    given = new StaticCredentialsProvider(Credential!.UserName, Plain(Credential.Password) ?? "", Plain(SecurityToken), "explicit");
                // The new context replaces the old one, so the old one takes no part in the precedence.
                var call = new TargetRequest { Credentials = given, Profile = ParameterSetName == ProfileSet ? Profile : null, RegionId = RegionId, Endpoint = Endpoint };
                target = new TargetResolver(CredentialSources.Shared).Resolve(call, session: null);
                if (target.ProfileWithoutRegion is { } profile) ThrowTerminatingError(ErrorRecords.NoRegionForProfile(profile));            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(InvalidCredentials(e));
                return;
            }
            catch (NlbCredentialsException e)
            {
                WriteError(ErrorRecords.Credentials(e));
                return;
            }

            // Fail now, not at the first call, when the chosen source has nothing to give.
            NlbCredentials credentials;
            try
            {
                var token = CancelToken;
                credentials = Await(Task.Run(() => target.Provider.GetCredentialsAsync(token), token));
            }
            catch (NlbCredentialsException e)
            {
                WriteError(ErrorRecords.Credentials(e));
                return;
            }

            // One signed call now, so that "connected" means the key, the region and the endpoint work.
            var problem = ConnectCheck.Run(this, target.Provider, target.RegionId, target.Endpoint, CancelToken);
            if (problem != null)
            {
                ThrowTerminatingError(problem);
                return;
            }
            // The default chain is kept as "null", so that it is built afresh after Disconnect-Nlb resets the sources.
            var context = new SessionContext(target.IsDefaultChain ? null : target.Provider, target.RegionId, target.Endpoint, Profile);            NlbSession.Replace(context);
            WriteObject(GetNlbContextCommand.Describe(context, target.Provider, credentials));
        }

        /// <summary>An empty key or secret, said in terms of this cmdlet's parameters (not the provider's argument names).</summary>
        private ErrorRecord InvalidCredentials(ArgumentException e)
        {
            var secret = string.Equals(e.ParamName, "accessKeySecret", StringComparison.OrdinalIgnoreCase);
            var id = string.Equals(e.ParamName, "accessKeyId", StringComparison.OrdinalIgnoreCase);
            string message;
            if (ParameterSetName == CredentialSet && (secret || id))
                message = secret ? "-Credential has an empty password: the password is the AccessKey secret."
                                 : "-Credential has an empty user name: the user name is the AccessKeyId.";
            else if (secret) message = "-AccessKeySecret is empty: pass the AccessKey secret, e.g. -AccessKeySecret (Read-Host -AsSecureString).";
            else if (id) message = "-AccessKeyId is empty: pass the AccessKeyId (it starts with LTAI, or STS. for temporary keys).";
            else message = e.Message;
            var parameter = ParameterSetName == CredentialSet ? "Credential" : secret ? "AccessKeySecret" : "AccessKeyId";
            return new ErrorRecord(new PSArgumentException(message, parameter), ErrorIds.InvalidCredentials, ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        private static string? Plain(SecureString? secure) => secure == null ? null : new NetworkCredential(string.Empty, secure).Password;
    }
}
