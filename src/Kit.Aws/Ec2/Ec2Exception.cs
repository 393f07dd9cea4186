namespace Kit.Aws.Ec2;

/// <summary>
/// EC2 answered with an error: its code (e.g. <c>InvalidInstanceID.NotFound</c>, <c>RequestLimitExceeded</c>),
/// message and request id (what AWS support asks for), the HTTP status, and for throttling how many attempts
/// the SDK made. <see cref="Exception.Message"/> is one line a person can act on.
/// </summary>
public class Ec2Exception(string action, string code, string message, string? requestId, int httpStatus, int attempts = 1, Exception? inner = null)
    : Exception(Describe(action, code, message, requestId, attempts), inner)
{
    public string Action { get; } = action;
    public string Code { get; } = code;
    public string AwsMessage { get; } = message;
    public string? RequestId { get; } = requestId;
    public int HttpStatus { get; } = httpStatus;
    public int Attempts { get; } = attempts;

    /// <summary>AWS's way of saying "slow down": the SDK retried these with backoff before giving up.</summary>
    public bool IsThrottling => IsThrottlingCode(Code) || HttpStatus == 503;

    public static bool IsThrottlingCode(string code) =>
        code is "RequestLimitExceeded" or "Throttling" or "ThrottlingException" or "RequestThrottled"
            or "ServiceUnavailable" or "Unavailable";

    private static string Describe(string action, string code, string message, string? requestId, int attempts) =>
        $"EC2 {action} failed: {code}: {message}"
        + (attempts > 1 ? $" (gave up after {attempts} attempts)" : "")
        + (requestId is null ? "" : $" [request id {requestId}]");
}
