using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NlbTools.Client.Models
{
    /// <summary>
    /// The one text form of nested values (tags, ProxyProtocolV2Config, HealthCheck): "Name=Value;Name=Value",
    /// booleans as True/False, unset fields left out, and '\', '=' and ';' inside a value escaped with '\'.
    /// </summary>
    public static class TextFormat
    {
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            if (text!.IndexOfAny(new[] { '\\', '=', ';' }) < 0) return text;
            var sb = new StringBuilder(text.Length + 4);
            foreach (var c in text)
            {
                if (c == '\\' || c == '=' || c == ';') sb.Append('\\');
                sb.Append(c);
            }
            return sb.ToString();
        }

        public static string Pairs(params (string Name, object? Value)[] fields)
            => string.Join(";", fields.Where(f => f.Value != null).Select(f => f.Name + "=" + Escape(Text(f.Value!))));

        private static string Text(object value)
        {
            switch (value)
            {
                case bool b: return b ? "True" : "False";
                case System.Collections.IEnumerable list when !(value is string):
                    return string.Join(",", list.Cast<object>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)));
                default: return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
        }
    }
}
