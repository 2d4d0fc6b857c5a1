using CnnGrid.ApiClient;
using CnnGrid.Dashboard.Components;
using CnnGrid.Dashboard.Downloads;
using CnnGrid.Dashboard.SignIn;
using CnnGrid.Hosting;

namespace CnnGrid.Dashboard;

/// <summary>
/// Builds the dashboard's web host from ASP.NET configuration: <c>Orchestrator:Url</c>, <c>Api:Token</c> or
/// <c>Api:TokenFile</c>, and ASP.NET's own <c>Urls</c>; with a token, its pages ask who you are (<see cref="SignInEndpoints"/>).
/// It serves Prometheus metrics at <c>/metrics</c> and liveness at <c>/healthz</c>. Program runs it; the tests start it the same way.
/// </summary>
public static class DashboardApp
{
    private const long MaxHubMessageBytes = 256 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // wwwroot and the static web assets manifest sit beside the assembly, whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
        });
        // The dashboard runs from its build output in every environment (nothing publishes it), and only the
        // manifest written by the build says where blazor.web.js and the scoped styles live.
        builder.WebHost.UseStaticWebAssets();

        var connection = OrchestratorConnection.Read(builder.Configuration);
        builder.Services.AddSingleton(connection);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient<OrchestratorClient>(http =>
        {
            http.BaseAddress = connection.BaseAddress;
            // Pages poll every second: a hung orchestrator should show as an error, not a frozen page.
            http.Timeout = TimeSpan.FromSeconds(10);
        }).ConfigurePrimaryHttpMessageHandler(LoopbackOwnerCheck.Handler);
        // Blazor's default 32 KB per hub message would drop the circuit while a spec is typed well below the API's
        // 64 KiB limit; escaping in the message can double a spec's size, so 4× that.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = MaxHubMessageBytes);
        builder.AddCnnGridMetrics();
        builder.UseCnnGridAllowedHosts();
        var signInRequired = SignInEndpoints.IsRequired(connection);
        if (signInRequired)
            builder.Services.AddDashboardSignIn();

        var app = builder.Build();
        if (signInRequired)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        else
        {
            app.Logger.LogWarning("The dashboard has no API token (Api:Token or Api:TokenFile): it asks nobody to sign in, and its orchestrator takes writes from anyone");
        }
        app.UseAntiforgery();
        app.MapStaticAssets();
        var pages = app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        var refitWeights = app.MapRefitWeights();
        if (signInRequired)
        {
            // Covers the Blazor hub too: a circuit is as good as a page, and the weights download as good as the token.
            pages.RequireAuthorization();
            refitWeights.RequireAuthorization();
            app.MapDashboardSignIn();
        }
        app.MapCnnGridHealth();
        app.MapCnnGridMetrics();
        return app;
    }
}
