using System.Linq;
using System.Text;
using NlbTools.Client.Signing;

namespace NlbTools.Client.Pipeline
{
    /// <summary>What a message is about, for log lines and errors: the action, and the listener when it names one.</summary>
    internal static class MessageSubject
    {
        public static string Of(NlbMessage message)
        {
            var listener = Parameter(message, "ListenerId");
            return listener == null ? message.Action : $"{message.Action} {listener}";
        }

        /// <summary>A parameter from the query or the form body (as the service merges them), or null.</summary>
        public static string? Parameter(NlbMessage message, string name)
        {
            var fromQuery = message.Query.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
            if (fromQuery != null) return fromQuery;
            var body = message.Request.Body;
            if (body == null || body.Length == 0 || body.Length > 64 * 1024) return null;
            return AcsSignature.ParseFormString(Encoding.UTF8.GetString(body)).Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
        }
    }
}
