namespace Accrue.Web.Infrastructure.Email;

/// <summary>Bound from the <c>Email</c> section. No SMTP host: messages are written to <see cref="PickupDirectory"/> instead.</summary>
public sealed class EmailOptions
{
    public string From { get; set; } = "Demo Telecom <billing@accrue.local>";
    public SmtpOptions Smtp { get; set; } = new();
    public string PickupDirectory { get; set; } = "data/mail";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxAttempts { get; set; } = 8;
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>None, StartTls, SslOnConnect or Auto (STARTTLS when the server offers it).</summary>
    public string Security { get; set; } = "Auto";
}
