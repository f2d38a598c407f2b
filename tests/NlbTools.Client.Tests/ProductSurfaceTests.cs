using System.Runtime.CompilerServices;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>Test seams stay out of the product assembly, and only the cmdlets and the tests see its internals.</summary>
public class ProductSurfaceTests
{
    [Fact]
    public void TheClientAssemblyShipsNoTestHelpers()
    {
        var names = typeof(NlbClient).Assembly.GetTypes().Select(t => t.Name).ToList();
        Assert.DoesNotContain("MockTransport", names);
        Assert.DoesNotContain("RecordedRequest", names);
        Assert.Equal("NlbTools.TestSupport", typeof(MockTransport).Assembly.GetName().Name);
    }

    [Fact]
    public void InternalsAreVisibleToTheCmdletsAndTheTestsOnly()
    {
        var friends = typeof(NlbClient).Assembly.GetCustomAttributes(typeof(InternalsVisibleToAttribute), false)
            .Cast<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "NlbTools", "NlbTools.Client.Tests", "NlbTools.Emulator.Tests" }, friends);
    }
}
