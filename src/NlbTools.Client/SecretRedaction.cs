using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace NlbTools.Client
{
    /// <summary>
    /// Keeps secrets out of messages that servers send back (NLB, STS, metadata): every error record, $Error
    /// and transcript holds these messages, so they are cleaned once, here.
    /// </summary>
    internal static class SecretRedaction
    {
        private static readonly Regex s_tokenValue = new Regex(@"(?i)((?:x-acs-security-token|SecurityToken)\s*[:=]\s*)[^\s&]+", RegexOptions.CultureInvariant);
        private static readonly Regex s_keyIdValue = new Regex(@"(?i)((?:x-acs-accesskey-id|AccessKeyId)\s*[:=]\s*)([^\s&]+)", RegexOptions.CultureInvariant);

        /// <summary>
        /// A SignatureDoesNotMatch message quotes the server's string to sign and canonical request, which carry
        /// the security token in clear and the whole AccessKeyId: that part is cut (the sentence before it stays).
        /// Any token or key id left is masked, and each of <paramref name="knownSecrets"/> is replaced.
        /// </summary>
        public static string? Redact(string? message, IEnumerable<string?>? knownSecrets = null)
        {
            if (string.IsNullOrEmpty(message)) return message;
            var cut = message!.IndexOf("string to sign", StringComparison.OrdinalIgnoreCase);
            if (cut >= 0)
            {
                var sentence = message.LastIndexOf('.', cut);
                message = message.Substring(0, sentence >= 0 ? sentence + 1 : cut).TrimEnd()
                          + " (The server's string to sign was left out: it holds the security token.) Check that the AccessKeySecret belongs to the AccessKeyId.";
            }
            message = s_tokenValue.Replace(message, "$1****");
            message = s_keyIdValue.Replace(message, m => m.Groups[1].Value + Credentials.NlbCredentials.Mask(m.Groups[2].Value));
            if (knownSecrets != null)
                foreach (var secret in knownSecrets)
                    if (!string.IsNullOrEmpty(secret) && secret!.Length >= 4) message = message.Replace(secret, "***");
            return message;
        }
    }
}
