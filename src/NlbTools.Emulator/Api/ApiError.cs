namespace NlbTools.Emulator.Api;

/// <summary>
/// An error answer of the API: thrown anywhere below the RPC endpoint, written as the gateway's JSON
/// {RequestId, HostId, Code, Message, Recommend}. Messages never carry a secret.
/// </summary>
internal sealed class ApiError : Exception
{
    public ApiError(int httpStatus, string code, string message) : base(message)
    {
        HttpStatus = httpStatus;
        Code = code;
    }

    public int HttpStatus { get; }
    public string Code { get; }
    /// <summary>Sent as x-acs-retry-after (milliseconds) with throttling answers.</summary>
    public int? RetryAfterMs { get; init; }
    /// <summary>RAM denial details for Forbidden.NoPermission.</summary>
    public IReadOnlyDictionary<string, string>? AccessDeniedDetail { get; init; }

    // Gateway-level codes (reference/nlb-api.md §3.2).
    public static ApiError MissingParameter(string name)
        => new(400, "MissingParameter", $"The input parameter \"{name}\" that is mandatory for processing this request is not supplied.");

    public static ApiError InvalidParameter(string name, string why)
        => new(400, "InvalidParameter", $"The specified parameter \"{name}\" is not valid: {why}");

    public static ApiError UnsupportedHttpMethod(string method)
        => new(403, "UnsupportedHTTPMethod", $"This http method ({method}) is not supported; use GET or POST.");

    public static ApiError InvalidActionNotFound(string action, string version)
        => new(404, "InvalidAction.NotFound", $"Specified api is not found, please check your url and method. (Action {action}, Version {version})");

    public static ApiError IncompleteSignature(string why)
        => new(400, "IncompleteSignature", $"The request signature does not conform to Aliyun standards: {why}");

    public static ApiError ResourceNotFound(string resourceKind, string id)
        => new(404, "ResourceNotFound." + resourceKind, $"The specified resource {id} is not found.");

    public static ApiError IncorrectListenerStatus(string listenerId)
        => new(400, "IncorrectStatus.listener", $"The status of listener [{listenerId}] is incorrect.");

    /// <summary>Flow control (a quota or an injected fault); <paramref name="retryAfterMs"/> becomes x-acs-retry-after.</summary>
    public static ApiError Throttled(int? retryAfterMs)
        => new(400, "Throttling.User", "Request was denied due to user flow control.") { RetryAfterMs = retryAfterMs };

    public static ApiError DryRunOperation()
        => new(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.");

    public static ApiError IdempotenceSignatureMismatch()
        => new(400, "IdempotenceSignatureMismatch", "The idempotence token of request is same with the prev one, but the signature is different.");
}
