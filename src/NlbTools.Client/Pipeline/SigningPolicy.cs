using System;
using System.Threading.Tasks;
using NlbTools.Client.Credentials;
using NlbTools.Client.Signing;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// Signs every attempt afresh (ACS3-HMAC-SHA256): new x-acs-date and nonce, credentials fetched per attempt
    /// so that a refreshing provider's new keys are used on the next try.
    /// </summary>
    public sealed class SigningPolicy : NlbPipelinePolicy
    {
        private static readonly string[] PerAttemptHeaders =
        {
            "Authorization", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-security-token", "x-acs-accesskey-id",
        };

        private readonly ICredentialsProvider _credentials;
        private readonly ISystemClock _clock;

        public SigningPolicy(ICredentialsProvider credentials, ISystemClock clock)
        {
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        }

        public override async Task ProcessAsync(NlbMessage message, Func<Task> next)
        {
            var credentials = await _credentials.GetCredentialsAsync(message.CancellationToken).ConfigureAwait(false);
            var request = message.Request;
            foreach (var name in PerAttemptHeaders) request.Headers.Remove(name);

            var payloadHash = AcsSignature.Sha256Hex(request.Body ?? Array.Empty<byte>());
            request.Headers["host"] = request.Uri.Authority;
            request.Headers["x-acs-content-sha256"] = payloadHash;
            request.Headers["x-acs-date"] = AcsSignature.FormatTimestamp(_clock.UtcNow);
            request.Headers["x-acs-signature-nonce"] = Guid.NewGuid().ToString("N");
            if (credentials.HasSecurityToken)
            {
                request.Headers["x-acs-security-token"] = credentials.RevealSecurityToken()!;
                request.Headers["x-acs-accesskey-id"] = credentials.AccessKeyId;
            }

            var signature = AcsSignature.ComputeV3(request.Method, request.Uri.AbsolutePath, message.Query, request.Headers,
                payloadHash, credentials.RevealSecret());
            request.Headers["Authorization"] = signature.ToAuthorization(credentials.AccessKeyId);
            message.MaskedAccessKeyId = credentials.MaskedAccessKeyId;

            await next().ConfigureAwait(false);
        }
    }
}
