using LoraPar.Cli;

namespace LoraPar.Cli.Tests;

public sealed class CliAppTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        var (code, stdout, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Equal(ToolVersion.Current, stdout.Trim());
    }

    [Fact]
    public void An_unknown_verb_exits_2_with_one_line()
    {
        var (code, stdout, stderr) = Run("bogus");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bogus", stderr);
    }

    [Fact]
    public void A_failure_of_several_lines_prints_each_line_after_the_tool_name()
    {
        var stderr = new StringWriter();
        CliApp.PrintFailure(new LoraPar.Core.BadInputException("m.toml:1:1 a: x\nm.toml:2:1 b: y"), stderr);
        Assert.Equal("lorapar: m.toml:1:1 a: x\nlorapar: m.toml:2:1 b: y\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Help_lists_only_the_verbs_that_exist()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        var verbs = CliApp.BuildRoot(TextWriter.Null, TextWriter.Null).Subcommands.Select(c => c.Name).ToList();
        Assert.All(verbs, v => Assert.Contains(v, stdout));
        foreach (var planned in new[] { "run", "status", "compare", "bench", "export", "eval", "clean" }.Except(verbs))
            Assert.DoesNotContain($"  {planned} ", stdout);
    }

    [Fact]
    public void Info_loads_the_tensor_runtime()
    {
        var (code, stdout, _) = Run("info");
        Assert.Equal(0, code);
        Assert.Contains("cpu threads", stdout);
    }

    [Fact]
    public void Bench_pipeline_prints_one_json_object_with_the_noop_figure()
    {
        var (code, stdout, _) = Run("bench", "pipeline", "--json", "--quick");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("pipeline", doc.RootElement.GetProperty("suite").GetString());
        Assert.Contains(doc.RootElement.GetProperty("figures").EnumerateArray(), f => f.GetProperty("name").GetString() == "noop_run_seconds");
    }

    [Fact]
    public void Bench_scale_refuses_a_width_that_is_not_a_multiple_of_8_before_writing_anything()
    {
        var (code, _, stderr) = Run("bench", "scale", "--hidden", "12");
        Assert.Equal(2, code);
        Assert.Contains("--hidden 12: the width must be a positive multiple of 8", stderr);
    }

    [Fact]
    public void Bench_with_an_unknown_suite_exits_2()
    {
        var (code, _, stderr) = Run("bench", "nosuch");
        Assert.Equal(2, code);
        Assert.Contains("nosuch", stderr);
    }
}
