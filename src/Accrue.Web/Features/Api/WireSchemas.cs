using System.Text.Json.Serialization.Metadata;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Accrue.Web.Features.Api;

/// <summary>
/// How the OpenAPI document types numbers: an <see cref="Amount"/> and every other decimal is a string with a
/// decimal pattern (never <c>number</c> / <c>format: double</c>); a count read by <see cref="WholeNumberJsonConverter"/>
/// is an integer. Integers stay integers (the API reads them strictly).
/// </summary>
public static class WireSchemas
{
    public static Task DescribeNumbersAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var nullable = (schema.Type & JsonSchemaType.Null) == JsonSchemaType.Null || Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null;
        if (context.JsonPropertyInfo?.CustomConverter is WholeNumberJsonConverter)
        {
            schema.Type = JsonSchemaType.Integer | (nullable ? JsonSchemaType.Null : 0);
            (schema.Format, schema.Pattern) = ("int64", null);
        }
        else if (type == typeof(Amount))
        {
            schema.Type = JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0);
            (schema.Format, schema.Pattern) = (null, WireDecimal.Pattern);
            schema.Description ??= "An amount of money as a decimal string with the currency's minor-unit digits (\"255.00\" in USD, \"333\" in JPY), in the currency given beside it.";
            schema.Examples = [System.Text.Json.Nodes.JsonValue.Create("255.00")];
        }
        else if (type == typeof(decimal))
        {
            schema.Type = JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0);
            (schema.Format, schema.Pattern) = (null, WireDecimal.Pattern);
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Dictionary && context.JsonTypeInfo.ElementType is { } value
            && (value == typeof(decimal) || value == typeof(Amount)))
        {
            // The values of a map of amounts (seat prices by seat type code) get no schema of their own.
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = WireDecimal.Pattern };
        }
        return Task.CompletedTask;
    }
}
