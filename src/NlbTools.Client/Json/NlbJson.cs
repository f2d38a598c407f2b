using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;
using NlbTools.Client.Models;

namespace NlbTools.Client.Json
{
    /// <summary>
    /// Response reading and the one request field sent as JSON. Tolerant where the API is inconsistent:
    /// numbers and strings convert both ways (StartPort, EndPort, TotalCount), Tags read Key/Value or TagKey/TagValue.
    /// </summary>
    public static class NlbJson
    {
        public static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore, // a null list on the wire keeps the model's empty list
            MissingMemberHandling = MissingMemberHandling.Ignore,
            DateParseHandling = DateParseHandling.None, // CreateTime and friends stay the strings the API sent
            Converters = { new TagConverter() },
        });

        private static readonly JsonSerializerSettings CompactSettings = new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            Formatting = Formatting.None,
            ContractResolver = new DefaultContractResolver(),
        };

        /// <summary>One parameter as a JSON string, null members omitted (ProxyProtocolV2Config={"Ppv2VpcIdEnabled":true}).</summary>
        public static string? ToParameterJson(object? value) => value == null ? null : JsonConvert.SerializeObject(value, CompactSettings);

        public static JObject ParseObject(byte[] body)
        {
            using var reader = new JsonTextReader(new System.IO.StreamReader(new System.IO.MemoryStream(body), System.Text.Encoding.UTF8))
            {
                DateParseHandling = DateParseHandling.None,
            };
            return JObject.Load(reader);
        }

        public static T Read<T>(JToken token) => token.ToObject<T>(Serializer)!;

        private sealed class TagConverter : JsonConverter<Tag>
        {
            public override Tag? ReadJson(JsonReader reader, Type objectType, Tag? existingValue, bool hasExistingValue, JsonSerializer serializer)
            {
                if (reader.TokenType == JsonToken.Null) return null;
                var o = JObject.Load(reader);
                return new Tag { Key = Str(o["Key"] ?? o["TagKey"]), Value = Str(o["Value"] ?? o["TagValue"]) };
            }

            public override void WriteJson(JsonWriter writer, Tag? value, JsonSerializer serializer)
            {
                if (value == null) { writer.WriteNull(); return; }
                writer.WriteStartObject();
                writer.WritePropertyName("Key");
                writer.WriteValue(value.Key);
                writer.WritePropertyName("Value");
                writer.WriteValue(value.Value);
                writer.WriteEndObject();
            }

            private static string? Str(JToken? t) => t == null || t.Type == JTokenType.Null ? null : t.Type == JTokenType.String ? (string?)t : t.ToString(Formatting.None);
        }
    }
}
