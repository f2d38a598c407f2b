using NlbTools.Emulator;

namespace NlbTools.Tests;

/// <summary>Issue 15 item 8: Start-NlbEmulator runs an absolute dotnet, never one planted in the current directory.</summary>
public sealed class DotnetHostTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nlbtools-dotnet-" + Guid.NewGuid().ToString("N"));
    private readonly string _planted;     // the attacker's directory, which is also the current directory
    private readonly string _installed;   // a real-looking install

    public DotnetHostTests()
    {
        _planted = Directory.CreateDirectory(Path.Combine(_root, "downloads")).FullName;
        _installed = Directory.CreateDirectory(Path.Combine(_root, "dotnet")).FullName;
        foreach (var name in new[] { "dotnet", "dotnet.exe" })
        {
            File.WriteAllText(Path.Combine(_planted, name), "#!/bin/sh\necho planted > planted-ran\n");
            Directory.CreateDirectory(Path.Combine(_planted, "bin"));
            File.WriteAllText(Path.Combine(_planted, "bin", name), "#!/bin/sh\necho planted > planted-ran\n");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private DotnetHost.Inputs Hostile(bool windows) => new()
    {
        // Windows PowerShell or an installed pwsh: the host is not dotnet, and nothing else says where it is.
        PathVariable = string.Join(Path.PathSeparator, ".", "", "bin", _planted, windows ? @".\bin" : "./bin"),
        CurrentDirectory = _planted,
        IsWindows = windows,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_dotnet_planted_in_the_current_directory_or_a_relative_PATH_entry_is_never_chosen(bool windows)
    {
        Assert.Null(DotnetHost.Find(Hostile(windows)));

        var inputs = Hostile(windows);
        inputs.PathVariable += Path.PathSeparator + _installed;
        File.WriteAllText(Path.Combine(_installed, windows ? "dotnet.exe" : "dotnet"), "");
        Assert.Equal(Path.Combine(_installed, windows ? "dotnet.exe" : "dotnet"), DotnetHost.Find(inputs));
    }

    [Fact]
    public void The_running_runtime_s_own_install_and_DOTNET_ROOT_are_used_before_PATH()
    {
        var dotnet = Path.Combine(_installed, "dotnet");
        File.WriteAllText(dotnet, "");
        var inputs = Hostile(windows: false);
        inputs.RuntimeDirectory = Path.Combine(_installed, "shared", "Microsoft.NETCore.App", "10.0.1") + Path.DirectorySeparatorChar;
        Assert.Equal(dotnet, DotnetHost.Find(inputs));

        inputs = Hostile(windows: false);
        inputs.DotnetRoot = _installed;
        Assert.Equal(dotnet, DotnetHost.Find(inputs));

        inputs = Hostile(windows: false);
        inputs.DotnetRoot = _planted; // DOTNET_ROOT pointing at the current directory is refused too
        inputs.HostPathVariable = "dotnet"; // not absolute
        Assert.Null(DotnetHost.Find(inputs));
    }

    [Fact]
    public void In_this_process_with_a_planted_dotnet_in_the_current_directory_the_real_host_is_found()
    {
        var inputs = DotnetHost.FromProcess();
        inputs.HostPathVariable = null;
        inputs.MainModule = null;
        inputs.CurrentDirectory = _planted;
        inputs.PathVariable = string.Join(Path.PathSeparator, ".", "bin", _planted, inputs.PathVariable);

        var found = DotnetHost.Find(inputs);

        Assert.NotNull(found);
        Assert.True(Path.IsPathRooted(found));
        Assert.True(File.Exists(found));
        Assert.False(found!.StartsWith(_planted, StringComparison.Ordinal), found);
    }

    [Fact]
    public void When_none_is_found_the_error_says_where_it_looked()
    {
        var record = DotnetHost.NotFound();
        Assert.Equal("NlbDotnetNotFound", record.FullyQualifiedErrorId);
        Assert.Contains("never the current directory", record.Exception.Message);
        Assert.Contains("DOTNET_ROOT", record.Exception.Message);
    }
}
