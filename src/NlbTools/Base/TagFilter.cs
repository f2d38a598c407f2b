using System.Collections;
using System.Collections.Generic;
using System.Linq;
using NlbTools.Client.Models;

namespace NlbTools.Base
{
    /// <summary>-Tag @{ env = 'prod' }: the request's tag list, and the same filter applied to an object already read.</summary>
    internal static class TagFilter
    {
        public static List<Tag>? ToTags(Hashtable? table)
            => table?.Cast<DictionaryEntry>().Select(e => new Tag(e.Key.ToString() ?? "", e.Value?.ToString())).ToList();

        /// <summary>Every tag of the filter is present; a filter value of $null matches any value.</summary>
        public static bool Matches(Hashtable? filter, IEnumerable<Tag>? tags)
        {
            if (filter == null) return true;
            var have = tags?.ToList() ?? new List<Tag>();
            return ToTags(filter)!.All(want => have.Any(t => t.Key == want.Key && (want.Value == null || t.Value == want.Value)));
        }
    }
}
