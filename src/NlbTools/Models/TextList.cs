using System.Collections.Generic;

namespace NlbTools
{
    /// <summary>
    /// A list that reads as text: Export-Csv, string conversion and Format-Table show its items joined
    /// ("id1,id2", "env=prod;team=web") instead of the .NET type name. The formats are in about_NlbTools.
    /// </summary>
    public sealed class TextList<T> : List<T>
    {
        private readonly string _separator;

        public TextList(IEnumerable<T>? items, string separator)
            : base(items ?? new T[0])
        {
            _separator = separator;
        }

        public override string ToString() => string.Join(_separator, this);

        /// <summary>Ids (certificates, load balancers, TLS versions, ciphers): joined by commas, which no id contains.</summary>
        internal static TextList<T>? Ids(IEnumerable<T>? items) => items == null ? null : new TextList<T>(items, ",");

        /// <summary>Tags: "key=value" pairs joined by semicolons (see Tag.ToString for the escaping).</summary>
        internal static TextList<T>? Pairs(IEnumerable<T>? items) => items == null ? null : new TextList<T>(items, ";");
    }
}
