using System.Globalization;
using System.Text;
using NlbTools.Emulator.Api;

namespace NlbTools.Emulator.Nlb;

/// <summary>MaxResults (1–100, default 20) and an opaque NextToken; absent NextToken in the answer = last page.</summary>
internal static class Paging
{
    public const int DefaultMaxResults = 20;
    public const int MaxMaxResults = 100;

    public static (List<T> Page, int MaxResults, string? NextToken) Take<T>(IReadOnlyList<T> items, ParameterReader p)
    {
        var max = p.Int("MaxResults") ?? DefaultMaxResults;
        if (max < 1 || max > MaxMaxResults) throw ApiError.InvalidParameter("MaxResults", $"must be 1 to {MaxMaxResults}; it is {max}.");
        var start = Decode(p.String("NextToken"));
        var page = new List<T>(Math.Min(max, Math.Max(0, items.Count - start)));
        for (var i = start; i < items.Count && page.Count < max; i++) page.Add(items[i]);
        var next = start + page.Count;
        return (page, max, next < items.Count ? Encode(next) : null);
    }

    private static string Encode(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int Decode(string? token)
    {
        if (token == null) return 0;
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                return offset;
        }
        catch (FormatException) { }
        throw ApiError.InvalidParameter("NextToken", "it is not a token this service returned.");
    }
}
