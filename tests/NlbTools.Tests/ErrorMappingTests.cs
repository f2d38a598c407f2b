using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Credentials;

namespace NlbTools.Tests;

/// <summary>Service errors become ErrorRecords with ErrorId = the service code and the category the issue asks for.</summary>
public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData("ResourceNotFound.listener", 404, ErrorCategory.ObjectNotFound)]
    [InlineData("Forbidden.NoPermission", 403, ErrorCategory.PermissionDenied)]
    [InlineData("SignatureDoesNotMatch", 403, ErrorCategory.PermissionDenied)]
    [InlineData("Throttling.User", 400, ErrorCategory.ResourceUnavailable)]
    [InlineData("SystemBusy", 400, ErrorCategory.ResourceUnavailable)]
    [InlineData("ServiceUnavailable", 503, ErrorCategory.ResourceUnavailable)]
    [InlineData("InternalError", 500, ErrorCategory.ResourceUnavailable)]
    [InlineData("Transport.ConnectionFailed", 0, ErrorCategory.ResourceUnavailable)]
    [InlineData("Transport.Timeout", 0, ErrorCategory.OperationTimeout)]
    [InlineData("IncorrectStatus.listener", 400, ErrorCategory.InvalidOperation)]
    [InlineData("IllegalParam.IdleTimeout", 400, ErrorCategory.InvalidArgument)]
    [InlineData("IllegalParamSize.certificateIds", 400, ErrorCategory.InvalidArgument)]
    public void Maps_the_service_code_and_status_to_a_category(string code, int status, ErrorCategory expected)
    {
        var record = ErrorRecords.From(new NlbException(code, "message", status, "REQ-1") { Recommend = "https://example.invalid/help" }, "lsn-1");
        Assert.Equal(code, record.FullyQualifiedErrorId);
        Assert.Equal(expected, record.CategoryInfo.Category);
        Assert.Equal("lsn-1", record.TargetObject);
        Assert.Contains("RequestId: REQ-1", record.ErrorDetails.Message);
        Assert.Equal("https://example.invalid/help", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Missing_credentials_say_how_to_connect()
    {
        var record = ErrorRecords.From(new NlbCredentialsException("no source answered"), null);
        Assert.Equal(ErrorIds.CredentialsNotFound, record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
        Assert.Contains("Connect-Nlb", record.ErrorDetails.Message);
        Assert.Contains("ALIBABA_CLOUD_ACCESS_KEY_ID", record.ErrorDetails.Message);
        Assert.Contains("aliyun configure", record.ErrorDetails.Message);
    }
}
