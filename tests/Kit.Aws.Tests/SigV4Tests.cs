using System.Text;
using Amazon.Runtime;
using Kit.Aws.Signing;

namespace Kit.Aws.Tests;

/// <summary>The signer against AWS's published SigV4 test-suite vectors (aws-sig-v4-test-suite, 2015-08-30).</summary>
public sealed class SigV4Tests
{
    private static readonly ImmutableCredentials SuiteKey = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
    private static readonly Uri SuiteHost = new("https://example.amazonaws.com/");

    private static string Sign(string method, Uri uri, string body, params (string, string)[] extra)
    {
        var headers = new Dictionary<string, string> { ["host"] = "example.amazonaws.com" };
        foreach (var (k, v) in extra) headers[k] = v;
        return SigV4.Sign(method, uri, headers, Encoding.UTF8.GetBytes(body), SuiteKey, "us-east-1", "service", SuiteTime);
    }

    [Fact]
    public void Get_vanilla()
    {
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            Sign("GET", SuiteHost, ""));
    }

    [Fact]
    public void Post_vanilla()
    {
        Assert.EndsWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", Sign("POST", SuiteHost, ""));
    }

    [Fact]
    public void Get_vanilla_query_order_key_case()
    {
        Assert.EndsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            Sign("GET", new Uri("https://example.amazonaws.com/?Param2=value2&Param1=value1"), ""));
    }

    [Fact]
    public void Post_x_www_form_urlencoded_the_shape_EC2_calls_use()
    {
        var auth = Sign("POST", SuiteHost, "Param1=value1", ("content-type", "application/x-www-form-urlencoded"));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            auth);
    }

    [Fact]
    public void Canonical_request_hashes_the_payload()
    {
        var (canonical, signed) = SigV4.CanonicalRequest("POST", SuiteHost,
            [new("Host", "example.amazonaws.com"), new("Content-Type", "application/x-www-form-urlencoded"), new("X-Amz-Date", "20150830T123600Z")],
            Encoding.UTF8.GetBytes("Param1=value1"));
        Assert.Equal("content-type;host;x-amz-date", signed);
        Assert.EndsWith("\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", canonical);
    }

    [Fact]
    public void Temporary_credentials_add_a_signed_security_token()
    {
        var headers = new Dictionary<string, string> { ["host"] = "ec2.us-west-2.amazonaws.com" };
        var auth = SigV4.Sign("POST", new Uri("https://ec2.us-west-2.amazonaws.com/"), headers, [],
            new ImmutableCredentials("ASIAEXAMPLE", "secret", "token/with+chars"), "us-west-2", "ec2", SuiteTime);
        Assert.Equal("token/with+chars", headers["x-amz-security-token"]);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token", auth);
        Assert.Contains("Credential=ASIAEXAMPLE/20150830/us-west-2/ec2/aws4_request", auth);
    }
}
