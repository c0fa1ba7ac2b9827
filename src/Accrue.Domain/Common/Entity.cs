namespace Accrue.Domain.Common;

/// <summary>Columns every table carries; stamped by the web project's save interceptor, never by hand.</summary>
public abstract class Entity
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A row that belongs to one customer organization; the tenant filter applies to it.</summary>
public interface IOrganizationOwned
{
    Guid OrganizationId { get; }
}
