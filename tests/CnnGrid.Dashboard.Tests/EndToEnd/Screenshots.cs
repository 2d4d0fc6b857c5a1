using Microsoft.Playwright;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>Saves full-page screenshots as test artifacts under <c>artifacts/test-results/screenshots/</c>.</summary>
public static class Screenshots
{
    public static readonly string Folder = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "CnnGrid.sln")))
                return folder.FullName;
        throw new InvalidOperationException("CnnGrid.sln not found above " + AppContext.BaseDirectory);
    }
}
