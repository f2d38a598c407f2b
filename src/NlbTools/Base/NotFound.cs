using NlbTools.Client;
using NlbTools.Client.Pipeline;

namespace NlbTools.Base
{
    /// <summary>ObjectNotFound errors for explicit ids, saying which region was searched.</summary>
    internal static class NotFound
    {
        public static NlbException Error(string resource, string what, string id, string? regionId)
            => new NlbException("ResourceNotFound." + resource, $"{what} '{id}' was not found in region {regionId ?? "(none)"}.", 404);

        /// <summary>The service's own not-found answer, with the region it was asked in added.</summary>
        public static NlbException WithRegion(NlbException e, string? regionId)
        {
            if (!NlbErrorClassifier.IsNotFound(e)) return e;
            return new NlbException(e.Code ?? "ResourceNotFound", $"{e.Message.TrimEnd()} (searched region {regionId ?? "(none)"})", e.HttpStatus, e.RequestId, e)
            {
                Recommend = e.Recommend, HostId = e.HostId,
            };
        }
    }
}
