using System.Text;

namespace Kit.Data.Text;

/// <summary>English words for numbers, as a reader says them: cardinals, ordinals, years, decimals, money.</summary>
public static class NumberWords
{
    private static readonly string[] Ones =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    private static readonly (long Value, string Name)[] Scales =
        [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")];

    /// <summary>"one hundred twenty three" for 123; negative numbers start with "minus".</summary>
    public static string Cardinal(long n)
    {
        if (n < 0) return "minus " + Cardinal(-n);
        if (n < 20) return Ones[n];
        if (n < 100) return Tens[n / 10] + (n % 10 != 0 ? " " + Ones[n % 10] : "");
        if (n < 1000) return Ones[n / 100] + " hundred" + (n % 100 != 0 ? " " + Cardinal(n % 100) : "");
        var sb = new StringBuilder();
        foreach (var (value, name) in Scales)
        {
            if (n < value) continue;
            sb.Append(Cardinal(n / value)).Append(' ').Append(name);
            n %= value;
            if (n > 0) sb.Append(' ');
        }
        if (n > 0) sb.Append(Cardinal(n));
        return sb.ToString();
    }

    /// <summary>"twenty first" for 21.</summary>
    public static string Ordinal(long n)
    {
        var words = Cardinal(n);
        var cut = words.LastIndexOf(' ');
        var last = words[(cut + 1)..];
        var head = cut < 0 ? "" : words[..(cut + 1)];
        return head + last switch
        {
            "one" => "first", "two" => "second", "three" => "third", "five" => "fifth", "eight" => "eighth",
            "nine" => "ninth", "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
    }

    /// <summary>Years as spoken: 1984 "nineteen eighty four", 2005 "two thousand five", 1900 "nineteen hundred".</summary>
    public static string Year(long n)
    {
        if (n is < 1100 or >= 10000 || (n >= 2000 && n < 2010)) return Cardinal(n);
        long hi = n / 100, lo = n % 100;
        if (lo == 0) return Cardinal(hi) + " hundred";
        return Cardinal(hi) + " " + (lo < 10 ? "oh " + Cardinal(lo) : Cardinal(lo));
    }

    /// <summary>Digits after a decimal point read one by one: "three point one four".</summary>
    public static string Decimal(string integerPart, string fraction) =>
        Cardinal(long.Parse(integerPart)) + " point " + string.Join(' ', fraction.Select(c => Ones[c - '0']));
}
