using NlbTools.Client.Models;
using NlbTools.Client.Paging;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>
/// The one pager: a page is fetched only when asked for, it never changes the caller's request, and it stops
/// on an empty NextToken, on an empty page, and (with an InvalidResponse error) on a repeated NextToken.
/// </summary>
public class PagingTests
{
    private static NlbHttpResponse ListenersPage(string? next, params string[] ids)
        => MockTransport.Json(200, new { RequestId = "R-" + next, NextToken = next, MaxResults = 1, TotalCount = 3, Listeners = ids.Select(id => new { ListenerId = id }) });

    private static async Task<List<ListListenersResponse>> All(NlbPager<ListListenersResponse> pager)
    {
        var pages = new List<ListListenersResponse>();
        for (var page = await pager.NextPageAsync(); page != null; page = await pager.NextPageAsync()) pages.Add(page);
        return pages;
    }

    [Fact]
    public async Task PagesAreFetchedOnlyWhenAskedForAndTheRequestIsNotChanged()
    {
        var transport = new MockTransport(ListenersPage("t2", "lsn-bp1bpn0kn908w4nbw0001@1000"), ListenersPage("t3", "lsn-bp1bpn0kn908w4nbw0002@1000"),
            ListenersPage("", "lsn-bp1bpn0kn908w4nbw0003@1000"));
        using var client = TestClients.Create(transport);
        var request = new ListListenersRequest { MaxResults = 1 };

        var pager = client.ListListenersPager(request);
        Assert.Empty(transport.Requests); // nothing until asked

        Assert.Equal("lsn-bp1bpn0kn908w4nbw0001@1000", (await pager.NextPageAsync())!.Listeners[0].ListenerId);
        Assert.Single(transport.Requests);
        Assert.Null(transport.Requests[0].Parameter("NextToken"));
        Assert.NotNull(await pager.NextPageAsync());
        Assert.Equal("t2", transport.Requests[1].Parameter("NextToken"));
        Assert.NotNull(await pager.NextPageAsync());
        Assert.Equal("t3", transport.Requests[2].Parameter("NextToken"));
        Assert.True(pager.IsDone);
        Assert.Null(await pager.NextPageAsync());
        Assert.Equal(3, transport.Requests.Count);
        Assert.Null(request.NextToken); // the caller's request is not altered
    }

    [Fact]
    public async Task PagingStartsFromTheRequestsNextToken()
    {
        var transport = new MockTransport(ListenersPage("", "lsn-bp1bpn0kn908w4nbw0009@1000"));
        using var client = TestClients.Create(transport);
        var request = new ListListenersRequest { NextToken = "resume-here" };

        Assert.Single(await All(client.ListListenersPager(request)));
        Assert.Equal("resume-here", transport.Requests[0].Parameter("NextToken"));
        Assert.Equal("resume-here", request.NextToken);
    }

    public static TheoryData<string, string?[], int, string?> StopRules => new()
    {
        // case, the NextToken of each page the service gives, pages returned, error code (null: none)
        { "no token on the first page", new string?[] { null }, 1, null },
        { "empty token ends", new string?[] { "t2", "" }, 2, null },
        { "empty page ends though a token follows", new string?[] { "t2", "t3|empty", "t4" }, 2, null },
        { "repeated token, right away", new string?[] { "same", "same", "same" }, 2, "InvalidResponse" },
        { "repeated token, later", new string?[] { "a", "b", "a", "b" }, 3, "InvalidResponse" },
    };

    [Theory]
    [MemberData(nameof(StopRules))]
    public async Task StopRulesAsATable(string name, string?[] tokens, int pagesReturned, string? errorCode)
    {
        var calls = 0;
        var transport = new MockTransport(_ =>
        {
            var token = tokens[Math.Min(calls++, tokens.Length - 1)];
            var empty = token != null && token.EndsWith("|empty", StringComparison.Ordinal);
            return empty ? ListenersPage(token!.Split('|')[0]) : ListenersPage(token, "lsn-bp1bpn0kn908w4nbw0001@1000");
        });
        using var client = TestClients.Create(transport);
        var pager = client.ListListenersPager(new ListListenersRequest());

        var returned = 0;
        NlbException? error = null;
        try
        {
            while (await pager.NextPageAsync() != null) returned++;
        }
        catch (NlbException e)
        {
            error = e;
        }

        Assert.True(pagesReturned == returned, $"{name}: {returned} pages");
        Assert.Equal(pagesReturned, transport.Requests.Count); // no request after the stop
        Assert.Equal(errorCode, error?.Code);
        if (error != null) Assert.Contains("a second time", error.Message);
        Assert.Null(await pager.NextPageAsync()); // stopped for good
    }

    [Fact]
    public async Task OtherListsPageTheSameWay()
    {
        var transport = new MockTransport(r => MockTransport.Json(200, r.Parameter("NextToken") == null
            ? new { RequestId = "R", NextToken = (string?)"n2", ServerGroups = new[] { new { ServerGroupId = "sgp-1" } }, SecurityPolicies = new[] { new { SecurityPolicyId = "spy-1" } }, LoadBalancers = new[] { new { LoadBalancerId = "nlb-1" } } }
            : new { RequestId = "R", NextToken = (string?)null, ServerGroups = new[] { new { ServerGroupId = "sgp-2" } }, SecurityPolicies = new[] { new { SecurityPolicyId = "spy-2" } }, LoadBalancers = new[] { new { LoadBalancerId = "nlb-2" } } }));
        using var client = TestClients.Create(transport);

        async Task<int> Count<T>(NlbPager<T> pager) where T : class
        {
            var n = 0;
            while (await pager.NextPageAsync() != null) n++;
            return n;
        }

        Assert.Equal(2, await Count(client.ListServerGroupsPager(new ListServerGroupsRequest())));
        Assert.Equal(2, await Count(client.ListSecurityPolicyPager(new ListSecurityPolicyRequest())));
        Assert.Equal(2, await Count(client.ListLoadBalancersPager(new ListLoadBalancersRequest())));
        Assert.Equal(6, transport.Requests.Count);
        Assert.Equal("n2", transport.Requests[1].Parameter("NextToken")); // ListServerGroups: in the body
        Assert.Contains(transport.Requests[1].Form, p => p.Key == "NextToken");
        Assert.Contains(transport.Requests[5].Query, p => p.Key == "NextToken"); // ListLoadBalancers: in the query
    }

    [Fact]
    public async Task PageErrorsSurfaceWhenThatPageIsReached()
    {
        var transport = new MockTransport(ListenersPage("t2", "lsn-bp1bpn0kn908w4nbw0001@1000"), MockTransport.Error(403, "Forbidden.NoPermission", "no"));
        using var client = TestClients.Create(transport);
        var pager = client.ListListenersPager(new ListListenersRequest());

        Assert.NotNull(await pager.NextPageAsync());
        Assert.Equal("Forbidden.NoPermission", (await Assert.ThrowsAsync<NlbException>(() => pager.NextPageAsync())).Code);
    }

    [Fact]
    public async Task ARepeatedTokenInTheErrorHasNoControlCharacters()
    {
        var transport = new MockTransport(_ => ListenersPage("tok\u001b[2J\r\nX", "lsn-bp1bpn0kn908w4nbw0001@1000"));
        using var client = TestClients.Create(transport);
        var pager = client.ListListenersPager(new ListListenersRequest());
        await pager.NextPageAsync();
        await pager.NextPageAsync();

        var e = await Assert.ThrowsAsync<NlbException>(() => pager.NextPageAsync());
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
