using Accrue.Domain.Vouchers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Accrue.Domain.Tests.Vouchers;

public sealed class VoucherCodeProperties
{
    private static readonly Gen<string> Codes =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), VoucherCode.RandomBytes).Select(bytes => VoucherCode.New(bytes));

    [Property(MaxTest = 300)]
    public Property A_new_code_is_well_formed_and_survives_format_and_normalize() =>
        Prop.ForAll(Codes.ToArbitrary(), code =>
            code.Length == VoucherCode.Length
            && VoucherCode.IsWellFormed(code)
            && VoucherCode.Normalize(VoucherCode.Format(code)) == code
            && VoucherCode.Normalize(VoucherCode.Format(code).ToLowerInvariant()) == code);

    [Property(MaxTest = 200)]
    public Property Every_single_wrong_symbol_is_detected() =>
        Prop.ForAll(Codes.ToArbitrary(), code =>
        {
            for (var i = 0; i < code.Length; i++)
                foreach (var symbol in i < VoucherCode.Symbols ? VoucherCode.Alphabet : VoucherCode.CheckAlphabet)
                {
                    if (symbol == code[i]) continue;
                    var typo = string.Concat(code.AsSpan(0, i), symbol.ToString(), code.AsSpan(i + 1));
                    if (VoucherCode.IsWellFormed(typo)) return false;
                }
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Every_swap_of_neighbouring_symbols_is_detected() =>
        Prop.ForAll(Codes.ToArbitrary(), code =>
        {
            for (var i = 0; i + 1 < code.Length; i++)
            {
                if (code[i] == code[i + 1]) continue;
                var swapped = code.ToCharArray();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                if (VoucherCode.IsWellFormed(new string(swapped))) return false;
            }
            return true;
        });

    [Fact]
    public void Normalize_reads_letters_people_confuse_with_digits_as_Crockford_does()
    {
        var code = VoucherCode.New(new byte[VoucherCode.RandomBytes]);
        Assert.Equal("00000000000000000", code);
        Assert.Equal(code, VoucherCode.Normalize("oooo-OOOO 0000-0000-0"));
        Assert.Equal("1111", VoucherCode.Normalize("i-L l I"));
        Assert.False(VoucherCode.IsWellFormed("0000-0000"));
        Assert.False(VoucherCode.IsWellFormed(""));
        Assert.Equal("****-****-****-*000-0", VoucherCode.Mask(code));
        Assert.Equal("0000-0000-0000-0000-0", VoucherCode.Format(code));
    }

    [Fact]
    public void The_check_symbol_is_the_value_modulo_37()
    {
        // 16 symbols "000…01" is 1; "000…0Z" is 31; "000…10" is 32, which takes the first extra symbol.
        Assert.Equal('1', VoucherCode.CheckSymbol("0000000000000001"));
        Assert.Equal('Z', VoucherCode.CheckSymbol("000000000000000Z"));
        Assert.Equal('*', VoucherCode.CheckSymbol("0000000000000010"));
        Assert.Equal('0', VoucherCode.CheckSymbol("0000000000000015"));
    }
}
