namespace CnnGrid.Orchestrator.Api;

/// <summary>
/// Answers 401 (no detail, a <c>WWW-Authenticate: Bearer</c> challenge) to calls without the API token: always on
/// mutating endpoints, on reads only when <see cref="ApiToken.ProtectReads"/> is set.
/// </summary>
internal sealed class BearerTokenFilter(ApiToken token, bool mutates) : IEndpointFilter
{
    /// <summary>The check for every endpoint of the API: reads pass unless <see cref="ApiToken.ProtectReads"/>.</summary>
    public static BearerTokenFilter ForReads(ApiToken token) => new(token, mutates: false);

    /// <summary>The check for endpoints that change something.</summary>
    public static BearerTokenFilter ForWrites(ApiToken token) => new(token, mutates: true);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var needed = mutates || token.ProtectReads;
        if (needed && !token.Accepts(context.HttpContext.Request.Headers.Authorization))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context);
    }
}
