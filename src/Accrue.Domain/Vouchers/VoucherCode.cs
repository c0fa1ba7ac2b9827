using System.Text;

namespace Accrue.Domain.Vouchers;

/// <summary>
/// Voucher codes: 80 random bits written as 16 Crockford base32 symbols plus Crockford's mod-37 check
/// symbol, shown as <c>XXXX-XXXX-XXXX-XXXX-C</c>. 80 bits make guessing hopeless (with 10 million live
/// codes, one guess in 10^17 hits); the check symbol turns a typo into "not a valid code" before the
/// database is asked. 37 is prime and larger than the alphabet, so any single wrong symbol and any
/// swap of two neighbouring symbols changes the remainder (Crockford, "Base 32").
/// </summary>
public static class VoucherCode
{
    public const int Symbols = 16;
    public const int Length = Symbols + 1;
    public const int RandomBytes = Symbols * 5 / 8;
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    /// <summary>The check symbols: the alphabet, then five more for remainders 32 to 36.</summary>
    public const string CheckAlphabet = Alphabet + "*~$=U";

    /// <summary>A new normalized code from at least <see cref="RandomBytes"/> random bytes.</summary>
    public static string New(ReadOnlySpan<byte> random)
    {
        if (random.Length < RandomBytes) throw new ArgumentException($"A voucher code needs {RandomBytes} random bytes.", nameof(random));
        var code = new StringBuilder(Length);
        var bits = 0;
        var buffer = 0;
        foreach (var b in random[..RandomBytes])
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                code.Append(Alphabet[(buffer >> bits) & 31]);
            }
            buffer &= (1 << bits) - 1;
        }
        var data = code.ToString();
        return data + CheckSymbol(data);
    }

    /// <summary>The check symbol of 16 data symbols: their value modulo 37.</summary>
    public static char CheckSymbol(string data)
    {
        var remainder = 0;
        foreach (var symbol in data) remainder = (remainder * 32 + Alphabet.IndexOf(symbol, StringComparison.Ordinal)) % 37;
        return CheckAlphabet[remainder];
    }

    /// <summary>What a person typed, as stored: upper case, no spaces or dashes, O read as 0 and I or L as 1.</summary>
    public static string Normalize(string? input)
    {
        if (string.IsNullOrEmpty(input)) return "";
        var normalized = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (c is ' ' or '-' or '\t') continue;
            normalized.Append(char.ToUpperInvariant(c) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            });
        }
        return normalized.ToString();
    }

    /// <summary>Seventeen symbols of the right alphabets whose last is the check symbol of the rest.</summary>
    public static bool IsWellFormed(string normalized)
    {
        if (normalized.Length != Length) return false;
        var data = normalized[..Symbols];
        foreach (var symbol in data)
            if (!Alphabet.Contains(symbol, StringComparison.Ordinal)) return false;
        return CheckSymbol(data) == normalized[Symbols];
    }

    /// <summary>The code grouped for reading: XXXX-XXXX-XXXX-XXXX-C.</summary>
    public static string Format(string normalized) =>
        normalized.Length != Length ? normalized
            : $"{normalized[..4]}-{normalized[4..8]}-{normalized[8..12]}-{normalized[12..16]}-{normalized[16]}";

    /// <summary>A code shown after it was handed out once: only its last four symbols.</summary>
    public static string Mask(string normalized) =>
        normalized.Length < 4 ? "****" : $"****-****-****-*{normalized[^4..^1]}-{normalized[^1]}";
}
