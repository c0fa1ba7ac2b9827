using Accrue.Domain.Support;

namespace Accrue.Domain.Tests.Support;

public sealed class RemoteSupportSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static RemoteSupportSession Start(string? reason = "Customer asked for help with seats") =>
        RemoteSupportSession.Start(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Olivia Owner", Guid.NewGuid(), "Dana Operator", reason, Now).Value!;

    [Fact]
    public void A_session_lasts_at_most_30_minutes()
    {
        var session = Start();

        Assert.Equal(Now.AddMinutes(30), session.ExpiresAt);
        Assert.True(session.IsActiveAt(Now.AddMinutes(29).AddSeconds(59)));
        Assert.False(session.IsActiveAt(Now.AddMinutes(30)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_reason_is_required(string? reason)
    {
        var started = RemoteSupportSession.Start(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "m", Guid.NewGuid(), "s", reason, Now);

        Assert.Contains("Reason", started.Failure!.Errors!.Keys);
    }

    [Fact]
    public void A_reason_over_500_characters_is_refused()
    {
        Assert.False(RemoteSupportSession.Start(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "m", Guid.NewGuid(), "s", new string('r', 501), Now).Succeeded);
    }

    [Fact]
    public void Ending_is_recorded_once_and_never_after_the_time_limit()
    {
        var session = Start();

        session.End(Now.AddHours(2), "Time limit reached");
        session.End(Now.AddHours(3), "Ended by staff");

        Assert.Equal(Now.AddMinutes(30), session.EndedAt);
        Assert.Equal("Time limit reached", session.EndReason);
        Assert.False(session.IsActiveAt(Now.AddMinutes(1)));
    }
}
