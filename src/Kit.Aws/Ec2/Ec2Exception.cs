namespace Kit.Aws.Ec2;

/// <summary>
/// EC2 answered with an error: its code (e.g. <c>InvalidInstanceID.NotFound</c>, <c>RequestLimitExceeded</c>),
/// message and request id (what AWS support asks for), plus the HTTP status and how many attempts were made.
/// </summary>
public class Ec2Exception(string action, string code, string message, string? requestId, int httpStatus, int attempts = 1)
    : Exception(Describe(action, code, message, requestId, attempts))
{
    public string Action { get; } = action;
    public string Code { get; } = code;
    public string AwsMessage { get; } = message;
    public string? RequestId { get; } = requestId;
    public int HttpStatus { get; } = httpStatus;
    public int Attempts { get; } = attempts;

    /// <summary>Codes AWS uses to say "slow down"; these are retried with backoff.</summary>
    public bool IsThrottling => IsThrottlingCode(Code) || HttpStatus == 503;

    public static bool IsThrottlingCode(string code) =>
        code is "RequestLimitExceeded" or "Throttling" or "ThrottlingException" or "RequestThrottled"
            or "ServiceUnavailable" or "Unavailable";

    private static string Describe(string action, string code, string message, string? requestId, int attempts) =>
        $"EC2 {action} failed: {code}: {message}"
        + (attempts > 1 ? $" (gave up after {attempts} attempts)" : "")
        + (requestId is null ? "" : $" [request id {requestId}]");
}
