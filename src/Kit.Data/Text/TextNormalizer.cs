using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kit.Data.Text;

/// <summary>
/// Turns written text into what a speaker says, so the model learns from letters that map to sounds:
/// unicode folded (NFKC, typographic quotes and dashes to ASCII), numbers, money, ordinals, years and common
/// abbreviations spelled out, symbols named, whitespace collapsed. Case is lowered.
/// </summary>
public static partial class TextNormalizer
{
    private static readonly (Regex Pattern, string Words)[] Abbreviations = new (string, string)[]
    {
        ("mr", "mister"), ("mrs", "missus"), ("ms", "miss"), ("dr", "doctor"), ("st", "saint"), ("jr", "junior"),
        ("sr", "senior"), ("co", "company"), ("corp", "corporation"), ("ltd", "limited"), ("inc", "incorporated"),
        ("prof", "professor"), ("gen", "general"), ("capt", "captain"), ("lt", "lieutenant"), ("col", "colonel"),
        ("sgt", "sergeant"), ("mt", "mount"), ("ft", "fort"), ("no", "number"), ("vs", "versus"), ("etc", "et cetera"),
        ("approx", "approximately"), ("dept", "department"), ("ave", "avenue"), ("rd", "road"), ("blvd", "boulevard"),
    }.Select(a => (new Regex($@"\b{a.Item1}\.", RegexOptions.IgnoreCase | RegexOptions.Compiled), a.Item2)).ToArray();

    private static readonly Dictionary<char, string> Symbols = new()
    {
        ['%'] = " percent ", ['&'] = " and ", ['+'] = " plus ", ['='] = " equals ", ['@'] = " at ", ['#'] = " number ",
        ['°'] = " degrees ", ['×'] = " times ",
    };

    public static string Normalize(string text)
    {
        var s = FoldUnicode(text);
        foreach (var (pattern, words) in Abbreviations) s = pattern.Replace(s, words);
        s = Money().Replace(s, m => MoneyWords(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value));
        s = Ordinal().Replace(s, m => NumberWords.Ordinal(long.Parse(m.Groups[1].Value.Replace(",", ""))));
        s = Thousands().Replace(s, m => NumberWords.Cardinal(long.Parse(m.Value.Replace(",", ""), CultureInfo.InvariantCulture)));
        s = DecimalNumber().Replace(s, m => NumberWords.Decimal(m.Groups[1].Value, m.Groups[2].Value));
        s = Number().Replace(s, m => Spoken(m.Value));
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) sb.Append(Symbols.TryGetValue(c, out var w) ? w : c);
        s = Whitespace().Replace(sb.ToString(), " ").Trim();
        return s.ToLowerInvariant();
    }

    /// <summary>NFKC, then the typographic quotes, dashes and ellipsis writers use, as plain ASCII.</summary>
    public static string FoldUnicode(string text)
    {
        var s = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\u2018' or '\u2019' or '\u201A' or '\u2032' or '`': sb.Append('\''); break;
                case '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB' or '\u2033': sb.Append('"'); break;
                case '\u2010' or '\u2011' or '\u2012': sb.Append('-'); break;
                case '\u2013' or '\u2014' or '\u2015' or '\u2212': sb.Append(" - "); break;
                case '\u2026': sb.Append("..."); break;
                case '\u00A0' or '\t' or '\r' or '\n': sb.Append(' '); break;
                default:
                    if (!char.IsControl(c)) sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static string Spoken(string digits)
    {
        var n = long.Parse(digits, CultureInfo.InvariantCulture);
        // Four digits without a comma read as a year ("in 1984"); longer runs as a cardinal.
        return digits.Length == 4 && n >= 1100 ? NumberWords.Year(n) : NumberWords.Cardinal(n);
    }

    private static string MoneyWords(string currency, string whole, string cents)
    {
        var unit = currency == "$" ? ("dollar", "dollars") : currency == "£" ? ("pound", "pounds") : ("euro", "euros");
        var n = long.Parse(whole.Replace(",", ""), CultureInfo.InvariantCulture);
        var words = NumberWords.Cardinal(n) + " " + (n == 1 ? unit.Item1 : unit.Item2);
        if (cents.Length > 0 && int.Parse(cents) is var c and > 0)
            words += " " + NumberWords.Cardinal(c) + (c == 1 ? " cent" : " cents");
        return words;
    }

    [GeneratedRegex(@"([$£€])(\d[\d,]*)(?:\.(\d\d))?")] private static partial Regex Money();
    [GeneratedRegex(@"\b(\d[\d,]*)(?:st|nd|rd|th)\b", RegexOptions.IgnoreCase)] private static partial Regex Ordinal();
    [GeneratedRegex(@"\d{1,3}(?:,\d{3})+")] private static partial Regex Thousands();
    [GeneratedRegex(@"(\d+)\.(\d+)")] private static partial Regex DecimalNumber();
    [GeneratedRegex(@"\d+")] private static partial Regex Number();
    [GeneratedRegex(@"\s+")] private static partial Regex Whitespace();
}
