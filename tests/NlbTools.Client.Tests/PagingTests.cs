using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>NextToken paging is lazy: a page is fetched only when the enumerator reaches it.</summary>
public class PagingTests
{
    private static NlbHttpResponse ListenersPage(string id, string? next)
        => MockTransport.Json(200, new { RequestId = "R-" + id, NextToken = next, MaxResults = 1, TotalCount = 3, Listeners = new[] { new { ListenerId = id } } });

    [Fact]
    public void ListenersPagesAreFetchedOnlyWhenReached()
    {
        var transport = new MockTransport(ListenersPage("lsn-1", "t2"), ListenersPage("lsn-2", "t3"), ListenersPage("lsn-3", ""));
        using var client = TestClients.Create(transport);
        var request = new ListListenersRequest { MaxResults = 1 };

        var pages = client.ListListenersPages(request);
        Assert.Empty(transport.Requests); // nothing until enumerated

        using var e = pages.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Single(transport.Requests);
        Assert.Equal("lsn-1", e.Current.Listeners[0].ListenerId);
        Assert.Null(transport.Requests[0].Parameter("NextToken"));

        Assert.True(e.MoveNext());
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal("t2", transport.Requests[1].Parameter("NextToken"));

        Assert.True(e.MoveNext());
        Assert.Equal("t3", transport.Requests[2].Parameter("NextToken"));
        Assert.False(e.MoveNext());
        Assert.Equal(3, transport.Requests.Count);
        Assert.Null(request.NextToken); // the caller's request is not altered
    }

    [Fact]
    public void StoppingEarlyFetchesNoMore()
    {
        var transport = new MockTransport(ListenersPage("lsn-1", "t2"), ListenersPage("lsn-2", "t3"));
        using var client = TestClients.Create(transport);

        var first = client.ListListenersPages(new ListListenersRequest()).SelectMany(p => p.Listeners).First();

        Assert.Equal("lsn-1", first.ListenerId);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public void OtherListsPageTheSameWay()
    {
        var transport = new MockTransport(r => MockTransport.Json(200, r.Parameter("NextToken") == null
            ? new { RequestId = "R", NextToken = (string?)"n2" }
            : new { RequestId = "R", NextToken = (string?)null }));
        using var client = TestClients.Create(transport);

        Assert.Equal(2, client.ListServerGroupsPages(new ListServerGroupsRequest()).Count());
        Assert.Equal(2, client.ListSecurityPolicyPages(new ListSecurityPolicyRequest()).Count());
        Assert.Equal(2, client.ListLoadBalancersPages(new ListLoadBalancersRequest()).Count());
        Assert.Equal(6, transport.Requests.Count);
        Assert.Equal("n2", transport.Requests[1].Parameter("NextToken")); // ListServerGroups: in the body
        Assert.Contains(transport.Requests[1].Form, p => p.Key == "NextToken");
        Assert.Contains(transport.Requests[5].Query, p => p.Key == "NextToken"); // ListLoadBalancers: in the query
    }

    [Fact]
    public void ARepeatedNextTokenStopsInsteadOfLoopingForever()
    {
        var transport = new MockTransport(r => ListenersPage("lsn", "same"));
        using var client = TestClients.Create(transport);

        var ex = Assert.Throws<NlbException>(() => client.ListListenersPages(new ListListenersRequest()).ToList());

        Assert.Equal("InvalidResponse", ex.Code);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public void PageErrorsSurfaceWhenThatPageIsReached()
    {
        var transport = new MockTransport(ListenersPage("lsn-1", "t2"), MockTransport.Error(403, "Forbidden.NoPermission", "no"));
        using var client = TestClients.Create(transport);
        using var e = client.ListListenersPages(new ListListenersRequest()).GetEnumerator();

        Assert.True(e.MoveNext());
        Assert.Equal("Forbidden.NoPermission", Assert.Throws<NlbException>(() => e.MoveNext()).Code);
    }
}
