using System.Collections;
using System.Management.Automation;
using NlbTools.Client.Models;
using NlbTools.Engine;

namespace NlbTools.Tests;

/// <summary>Converting piped values (CSV cells, JSON, objects) into attribute values, and the diff.</summary>
public sealed class DesiredStateTests
{
    [Theory]
    [InlineData("Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False;Ppv2PrivateLinkEpsIdEnabled=True")]
    [InlineData("{\"Ppv2VpcIdEnabled\":true,\"Ppv2PrivateLinkEpIdEnabled\":false,\"Ppv2PrivateLinkEpsIdEnabled\":true}")]
    [InlineData("VpcId: true, PrivateLinkEpId=0; ppv2privatelinkepsidenabled=1")]
    public void PPv2_text_in_every_accepted_form_gives_the_three_flags(string text)
    {
        var flags = AttributeValues.ParsePpv2(text);
        Assert.True(flags["Ppv2VpcIdEnabled"]);
        Assert.False(flags["Ppv2PrivateLinkEpIdEnabled"]);
        Assert.True(flags["Ppv2PrivateLinkEpsIdEnabled"]);
    }

    [Fact]
    public void PPv2_from_objects_and_hashtables_and_unset_members_are_left_out()
    {
        Assert.Equal(new[] { "Ppv2VpcIdEnabled" }, AttributeValues.ParsePpv2(new ProxyProtocolV2Config { Ppv2VpcIdEnabled = true }).Keys);
        Assert.True(AttributeValues.ParsePpv2(new Hashtable { ["Ppv2PrivateLinkEpIdEnabled"] = "True" })["Ppv2PrivateLinkEpIdEnabled"]);
        var deserialized = new PSObject();
        deserialized.Properties.Add(new PSNoteProperty("Ppv2VpcIdEnabled", false));
        Assert.False(AttributeValues.ParsePpv2(deserialized)["Ppv2VpcIdEnabled"]);
        Assert.Empty(AttributeValues.ParsePpv2(""));
    }

    [Theory]
    [InlineData("Ppv2Nonsense=True", "not a Proxy Protocol v2 flag")]
    [InlineData("VpcId=maybe", "True or False")]
    [InlineData("NlbTools.Client.Models.ProxyProtocolV2Config", "Key=Value")]
    [InlineData("{not json", "JSON")]
    public void PPv2_text_that_cannot_be_read_says_what_was_expected(string text, string expected)
        => Assert.Contains(expected, Assert.Throws<FormatException>(() => AttributeValues.ParsePpv2(text)).Message);

    [Theory]
    [InlineData("12315790-cn-hangzhou,12315791-cn-hangzhou")]
    [InlineData(" 12315790-cn-hangzhou ; 12315791-cn-hangzhou ")]
    [InlineData("[\"12315790-cn-hangzhou\",\"12315791-cn-hangzhou\"]")]
    public void Certificate_lists_read_from_text(string text)
        => Assert.Equal(new[] { "12315790-cn-hangzhou", "12315791-cn-hangzhou" }, (string[])AttributeValues.Convert("CertificateIds", text)!);

    [Fact]
    public void Empty_values_mean_leave_alone_and_type_names_are_refused()
    {
        Assert.Null(AttributeValues.Convert("CertificateIds", ""));
        Assert.Null(AttributeValues.Convert("CertificateIds", new List<string>()));
        Assert.Null(AttributeValues.Convert("IdleTimeout", "  "));
        Assert.Null(AttributeValues.Convert("CaEnabled", null));
        Assert.Throws<FormatException>(() => AttributeValues.Convert("CertificateIds", "System.Collections.Generic.List`1[System.String]"));
        Assert.Contains("longer than 4096", Assert.Throws<FormatException>(() => AttributeValues.Convert("CertificateIds", new string('a', 5000))).Message);
        Assert.Throws<FormatException>(() => AttributeValues.ParsePpv2(new string(';', 5000)));
    }

    [Fact]
    public void Numbers_and_booleans_read_generously_but_not_loosely()
    {
        Assert.Equal(300, AttributeValues.Convert("IdleTimeout", " 300 "));
        Assert.Equal(300, AttributeValues.Convert("IdleTimeout", 300L));
        Assert.Equal(true, AttributeValues.Convert("CaEnabled", "TRUE"));
        Assert.Equal(false, AttributeValues.Convert("AlpnEnabled", "0"));
        Assert.Equal(true, AttributeValues.Convert("SecSensorEnabled", "$true"));
        Assert.Throws<FormatException>(() => AttributeValues.Convert("Cps", "5k"));
        Assert.Throws<FormatException>(() => AttributeValues.Convert("Cps", "1.5"));
        Assert.Throws<FormatException>(() => AttributeValues.Convert("Mss", "99999999999"));
        Assert.Throws<FormatException>(() => AttributeValues.Convert("CaEnabled", "yes"));
    }

    [Fact]
    public void An_object_gives_its_updatable_properties_ignores_the_rest_and_names_bad_cells()
    {
        var row = new PSObject();
        foreach (var (name, value) in new (string, object)[]
                 {
                     ("ListenerId", "lsn-bp1bpn0kn908w4nbw0001@80"), ("ListenerPort", "9999"), ("ListenerStatus", "Stopped"), ("Tags", "env=prod"),
                     ("Description", "web-81"), ("IdleTimeout", "300"), ("Cps", ""), ("Mss", "lots"),
                     ("ProxyProtocolV2Config", "Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False"), ("Ppv2PrivateLinkEpIdEnabled", "True"),
                 })
            row.Properties.Add(new PSNoteProperty(name, value));

        var desired = DesiredState.FromObject(row);

        Assert.Equal(new[] { "ListenerDescription", "IdleTimeout", "Ppv2VpcIdEnabled", "Ppv2PrivateLinkEpIdEnabled" }, desired.Values.Select(v => v.Key));
        Assert.Equal(true, desired.Get("Ppv2PrivateLinkEpIdEnabled")); // its own column wins over the nested config
        Assert.Equal("column 'Mss' value 'lots': expected a whole number", Assert.Single(desired.Problems));
    }

    [Fact]
    public void The_diff_keeps_only_what_differs_and_sends_the_policy_along_when_ALPN_is_switched_on()
    {
        var desired = DesiredState.FromParameters(new Dictionary<string, object>
        {
            ["IdleTimeout"] = 900, ["CertificateIds"] = new[] { "12315790-cn-hangzhou" }, ["AlpnEnabled"] = true, ["AlpnPolicy"] = "HTTP2Only",
        });
        var current = AttributeValues.Of(new Listener
        {
            IdleTimeout = 900, CertificateIds = new List<string> { "12315790-cn-hangzhou" }, AlpnEnabled = false, AlpnPolicy = "HTTP2Only",
        });

        var changes = ListenerDiff.Compute(desired, current, force: false);

        Assert.Equal(new[] { "AlpnEnabled false -> true", "AlpnPolicy HTTP2Only -> HTTP2Only" },
            changes.Select(c => $"{c.Name} {c.Before} -> {c.After}".Replace("False", "false").Replace("True", "true")));
        Assert.Equal(4, ListenerDiff.Compute(desired, current, force: true).Count);
        var request = ListenerDiff.ToRequest(changes, "lsn-bp1bpn0kn908w4nbw0201@443", "cn-hangzhou", null);
        Assert.Null(request.IdleTimeout);
        Assert.Null(request.CertificateIds);
        Assert.Equal("HTTP2Only", request.AlpnPolicy);
    }
}
