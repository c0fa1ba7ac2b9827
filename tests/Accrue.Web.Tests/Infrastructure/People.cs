using System.Security.Cryptography;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>Members made for one test, through MemberCommands, with a password already set.</summary>
public static class People
{
    public const string Password = "Test-pass-2026";

    public sealed record Person(Guid MemberId, Guid UserId, Guid OrganizationId, string Email, string Password);

    public static async Task<Person> NewMemberAsync(this AccrueApp app, string organization = "Acme Prepaid Ltd", Guid? permissionSetId = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        var organizationId = await db.Organizations.Where(o => o.Name == organization).Select(o => o.Id).SingleAsync();
        var email = $"{Http.Unique("person")}@example.test";
        var added = await scope.ServiceProvider.GetRequiredService<MemberCommands>().AddAsync(organizationId, new MemberInput
        {
            Name = "Test Person", Email = email, PortalAccess = true, Role = MemberRole.Member, PermissionSetId = permissionSetId,
        });
        Assert.True(added.Succeeded, added.Failure?.ToString());
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = await users.FindByIdAsync(added.Value!.UserId.ToString());
        var result = await users.AddPasswordAsync(user!, Password);
        Assert.True(result.Succeeded);
        return new Person(added.Value.Id, user!.Id, organizationId, email, Password);
    }
}

/// <summary>RFC 6238 TOTP (SHA-1, 30 s, 6 digits), what an authenticator app computes from the shared key.</summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null)
    {
        var key = Base32Decode(base32Key);
        var counter = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var message = BitConverter.GetBytes(counter);
        if (BitConverter.IsLittleEndian) Array.Reverse(message);
#pragma warning disable CA5350 // RFC 6238 and every authenticator app use HMAC-SHA1.
        var hash = HMACSHA1.HashData(key, message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = input.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return bytes.ToArray();
    }
}
