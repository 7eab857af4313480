using LoraPar.Core;

namespace LoraPar.Core.Tests;

public sealed class CommandHintTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lorapar-hint-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_global_tool_on_PATH_is_lorapar()
    {
        var tools = Directory.CreateDirectory(Path.Combine(_root, ".dotnet", "tools")).FullName;
        var store = Path.Combine(tools, ".store", "lorapar", "0.1.0", "lorapar", "0.1.0", "tools", "net10.0", "any");
        Assert.Equal("lorapar", CommandHint.Detect(Path.Combine(tools, "lorapar"), store, $"/usr/bin{Path.PathSeparator}{tools}", _root));
    }

    [Fact]
    public void A_lorapar_whose_folder_is_not_on_PATH_is_named_by_its_full_path()
    {
        var tools = Path.Combine(_root, "my tools");
        Assert.Equal($"\"{Path.Combine(tools, "lorapar")}\"", CommandHint.Detect(Path.Combine(tools, "lorapar"), Path.Combine(tools, ".store"), "/usr/bin", _root));
    }

    [Fact]
    public void The_local_tool_runs_through_dotnet()
    {
        var cache = Path.Combine(_root, ".nuget", "packages", "lorapar", "0.1.0-local.1", "tools", "net10.0", "any");
        Assert.Equal("dotnet lorapar", CommandHint.Detect("/usr/share/dotnet/dotnet", cache, "/usr/bin", _root));
    }

    [Fact]
    public void A_build_in_the_source_tree_is_started_with_dotnet_run_relative_to_where_the_user_is()
    {
        var project = Directory.CreateDirectory(Path.Combine(_root, "repo", "src", "LoraPar.Cli")).FullName;
        File.WriteAllText(Path.Combine(project, "LoraPar.Cli.csproj"), "<Project />");
        var bin = Directory.CreateDirectory(Path.Combine(project, "bin", "Debug", "net10.0")).FullName;
        Assert.Equal($"dotnet run --project {Path.Combine("src", "LoraPar.Cli")} --",
            CommandHint.Detect(Path.Combine(bin, "lorapar"), bin + Path.DirectorySeparatorChar, "/usr/bin", Path.Combine(_root, "repo")));
    }

    [Fact]
    public void Anything_else_is_lorapar() =>
        Assert.Equal("lorapar", CommandHint.Detect(null, _root, null, _root));
}
