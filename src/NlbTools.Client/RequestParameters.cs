using System.Collections.Generic;
using NlbTools.Client.Json;
using NlbTools.Client.Signing;

namespace NlbTools.Client
{
    /// <summary>An ordered, flattened parameter list (query or form body): null values are not sent.</summary>
    internal sealed class RequestParameters : List<KeyValuePair<string, string>>
    {
        public RequestParameters Add(string name, object? value)
        {
            AddRange(AcsSignature.Flatten(name, value));
            return this;
        }

        /// <summary>An object sent as one JSON string field (the SDK's "shrink" requests).</summary>
        public RequestParameters AddJson(string name, object? value)
        {
            var json = NlbJson.ToParameterJson(value);
            if (json != null) Add(new KeyValuePair<string, string>(name, json));
            return this;
        }
    }
}
