using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>The one place that says what an error means: a table of code and HTTP status to each decision.</summary>
public sealed class NlbErrorClassifierTests
{
    [Theory]
    //          code                              status  retryRead retryWrite throttling notFound unavailable kind
    [InlineData("Throttling.User",                  400,  true,  true,  true,  false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("Throttling.Api",                   400,  true,  true,  true,  false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("HttpStatus.429",                   429,  true,  true,  true,  false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("TooManyRequests",                  429,  true,  true,  true,  false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("SystemBusy",                       400,  true,  true,  false, false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("ServiceUnavailable",               503,  true,  true,  false, false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("InternalError",                    500,  true,  true,  false, false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("Transport.Timeout",                  0,  true,  true,  false, false, false, NlbErrorKind.OperationTimeout)]
    [InlineData("Transport.ConnectionFailed",         0,  true,  true,  false, false, false, NlbErrorKind.ResourceUnavailable)]
    [InlineData("IncorrectStatus.listener",         400,  false, true,  false, false, false, NlbErrorKind.InvalidOperation)]
    [InlineData("Conflict.Lock",                    400,  false, true,  false, false, false, NlbErrorKind.InvalidOperation)]
    [InlineData("IllegalParam.IdleTimeout",         400,  false, false, false, false, false, NlbErrorKind.InvalidArgument)]
    [InlineData("Mismatch.VpcId",                   400,  false, false, false, false, false, NlbErrorKind.InvalidArgument)]
    [InlineData("ResourceNotFound.listener",        404,  false, false, false, true,  false, NlbErrorKind.ObjectNotFound)]
    [InlineData("ResourceNotFound.JobId",           400,  false, false, false, true,  false, NlbErrorKind.ObjectNotFound)]
    [InlineData("InvalidAction.NotFound",           404,  false, false, false, false, true,  NlbErrorKind.NotSpecified)]
    [InlineData("UnsupportedOperation",             400,  false, false, false, false, true,  NlbErrorKind.InvalidArgument)]
    [InlineData("Forbidden.NoPermission",           403,  false, false, false, false, false, NlbErrorKind.PermissionDenied)]
    [InlineData("SignatureDoesNotMatch",            403,  false, false, false, false, false, NlbErrorKind.PermissionDenied)]
    [InlineData("SomethingNew",                     418,  false, false, false, false, false, NlbErrorKind.NotSpecified)]
    public void Decides_from_the_code_and_the_status(string code, int status, bool retryRead, bool retryWrite, bool throttling,
        bool notFound, bool unavailable, NlbErrorKind kind)
    {
        var e = new NlbException(code, "message", status, "REQ-1");
        Assert.Equal(retryRead, NlbErrorClassifier.IsRetryable(e, isWrite: false));
        Assert.Equal(retryWrite, NlbErrorClassifier.IsRetryable(e, isWrite: true));
        Assert.Equal(throttling, NlbErrorClassifier.IsThrottling(e));
        Assert.Equal(notFound, NlbErrorClassifier.IsNotFound(e));
        Assert.Equal(unavailable, NlbErrorClassifier.IsOperationUnavailable(e));
        Assert.Equal(kind, NlbErrorClassifier.Kind(e));
    }
}
