using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// Reads an answer's body as it arrives, decompressed, and stops at a size cap: a huge body or a gzip bomb
    /// costs at most the cap in memory, never the whole answer first.
    /// </summary>
    internal static class ResponseBody
    {
        public const string TooLargeCode = "NlbResponseTooLarge";
        public const string RedirectCode = "NlbRedirectRefused";

        public static async Task<byte[]> ReadAsync(HttpResponseMessage response, Uri uri, int maxBytes, CancellationToken cancellationToken)
        {
            var status = (int)response.StatusCode;
            var declared = response.Content.Headers.ContentLength;
            if (declared > maxBytes) throw TooLarge(uri, status, maxBytes);

            // .NET Framework's response streams ignore the token: disposing the answer ends a read stuck on the network.
            using (cancellationToken.Register(response.Dispose))
            {
                try
                {
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    using var body = new MemoryStream(declared is long known && known > 0 ? (int)known : 16 * 1024);
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        if (body.Length + read > maxBytes) throw TooLarge(uri, status, maxBytes);
                        body.Write(buffer, 0, read);
                    }
                    return body.ToArray();
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException) && !(e is NlbException))
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        /// <summary>Not retried: the same endpoint would send the same answer again.</summary>
        public static NlbException TooLarge(Uri uri, int status, int maxBytes)
            => new NlbException(TooLargeCode,
                $"{uri.Host} answered HTTP {status} with a body larger than {maxBytes / (1024 * 1024)} MiB (after decompression); "
                + "NlbTools stopped reading it. NLB answers are far smaller: check the endpoint.", status);

        /// <summary>Names only the target's scheme, host and port: its path or query may carry a token.</summary>
        public static NlbException Redirect(Uri uri, int status, Uri? location)
        {
            string target;
            if (location == null) target = "no Location";
            else
            {
                var absolute = location.IsAbsoluteUri ? location : new Uri(uri, location);
                target = ServiceText.Clean(absolute.GetLeftPart(UriPartial.Authority), 256) ?? "?";
            }
            return new NlbException(RedirectCode,
                $"{uri.Host} answered HTTP {status}, a redirect to {target}. NlbTools follows no redirect (the request carries "
                + "the AccessKeyId and security token): check the endpoint, or use the address the redirect names if you trust it.", status);
        }
    }
}
