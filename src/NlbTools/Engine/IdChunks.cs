using System;
using System.Collections.Generic;

namespace NlbTools.Engine
{
    /// <summary>The list operations take at most 20 ids per request (ListenerIds, LoadBalancerIds, JobIds): longer lists go in chunks.</summary>
    internal static class IdChunks
    {
        public const int MaxPerRequest = 20;

        public static IEnumerable<List<string>> Of(List<string> ids)
        {
            for (var i = 0; i < ids.Count; i += MaxPerRequest) yield return ids.GetRange(i, Math.Min(MaxPerRequest, ids.Count - i));
        }

        /// <summary>No ids (null or empty) is one request without an id filter, so it yields a single null.</summary>
        public static IEnumerable<List<string>?> OfOrUnfiltered(List<string>? ids)
        {
            if (ids == null || ids.Count == 0) return new List<string>?[] { null };
            return Of(ids);
        }
    }
}
