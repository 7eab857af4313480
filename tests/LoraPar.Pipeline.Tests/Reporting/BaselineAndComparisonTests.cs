using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class BaselineAndComparisonTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException(relative);
    }

    private static BaselineFile Paper() => BaselineFile.Load(RepoFile("baselines/paper.toml"));

    [Fact]
    public void Paper_toml_holds_tables_1_to_4_with_the_published_numbers()
    {
        var paper = Paper();
        Assert.Equal(["table1", "table2", "table3", "table4"], paper.Tables.Select(t => t.Name));
        var t1 = paper.Tables[0];
        Assert.Equal([25.32, 26.23, 26.84, 25.85, 27.07, 27.60], t1.Rows.Select(r => r.Values["performance"]));
        var t2 = paper.Tables[1];
        Assert.Equal(9, t2.Rows.Count);
        Assert.Equal((27.14, 34.37), (t2.Rows[^1].Values["sft"], t2.Rows[^1].Values["rl"]));
        var t3 = paper.Tables[2];
        Assert.Equal(11, t3.Rows.Count);
        var theta09 = t3.Rows.Single(r => r.Label == "0.9").Values;
        Assert.Equal((35.70, 23.35, 21.30, 40.56, 27.3, 23.43), (theta09["qkv_param"], theta09["qkv_perf"], theta09["qkv_rand"],
            theta09["qkvgud_param"], theta09["qkvgud_perf"], theta09["qkvgud_rand"]));
        Assert.False(t3.Rows.Single(r => r.Label == "0.5").Values.ContainsKey("qkv_rand"));
        var t4 = paper.Tables[3];
        Assert.Equal(8, t4.Rows.Count);
        Assert.Equal(41.85, t4.Rows.Single(r => r.Label == "*PiSSA(θ = 0.95)").Values["gsm8k_epoch2"]);
        Assert.Equal(14.39, t4.Rows[0].Values["humaneval_epoch1"]);
        Assert.False(t4.Rows[0].Values.ContainsKey("gsm8k_epoch2"));
    }

    [Fact]
    public void A_run_fills_the_cells_its_settings_match_with_deltas()
    {
        var manifest = new PipelineManifest { Partition = new PartitionOptions { Alpha = 0.5, Beta = 1.0 } };
        var run = new RunResults(new RunVariant("alpha=0.5,beta=1", manifest, []),
            new Dictionary<string, double> { ["gsm8k_accuracy_stage1"] = 25.0, ["gsm8k_accuracy_stage2"] = 30.0 });
        var paper = Paper();
        var cells = Comparison.Build(paper, ["table2"], [run]);
        var filled = cells.Where(c => c.Ours is not null).ToList();
        Assert.Equal(2, filled.Count);
        Assert.All(filled, c => Assert.Equal("α=0.5, β=1", c.Row));
        var text = Comparison.Render(paper, ["table2"], cells);
        var row = text.Split('\n').Single(l => l.StartsWith("| α=0.5, β=1 "));
        Assert.Equal(["α=0.5, β=1", "24.94", "25.00", "+0.06", "31.01", "30.00", "−1.01"],
            row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("2 of 18 cells have a result of ours.", text);
        Assert.Matches(@"\(paper\) \| +ours +\|", text);
        var pinned = Comparison.Render(paper with { Meta = new Dictionary<string, string> { ["column"] = "pinned" } }, ["table2"], cells);
        Assert.Matches(@"\(pinned\) \| +ours +\|", pinned);
        Assert.DoesNotContain("(paper)", pinned);
    }

    [Fact]
    public void The_base_model_rows_read_the_base_point_of_any_run_the_columns_match()
    {
        var manifest = new PipelineManifest
        {
            Partition = new PartitionOptions { Alpha = 1.0, Beta = 1.0 }, Data = new DataSection { Dataset = DatasetKind.Gsm8k },
        };
        var run = new RunResults(new RunVariant("proposal", manifest, []),
            new Dictionary<string, double> { ["gsm8k_accuracy_base"] = 12.5, ["gsm8k_accuracy_stage1"] = 20.0, ["active_percent"] = 40.0 });
        var cells = Comparison.Build(Paper(), ["table4"], [run]).Where(c => c.Row == "LLaMa2 7B").ToList();
        var gsm8k = cells.Single(c => c.Column == "gsm8k_epoch1");
        Assert.Equal(("gsm8k_accuracy_base", 13.3, 12.5), (gsm8k.Metric, gsm8k.Paper, gsm8k.Ours));
        Assert.All(cells.Where(c => c.Column != "gsm8k_epoch1" && c.Column != "gsm8k_epoch2"), c => Assert.Null(c.Ours));
        Assert.Equal("gsm8k_accuracy_base", Comparison.AtPoint("gsm8k_accuracy_stage2", EvalPoint.Base));
        Assert.Null(Comparison.AtPoint("active_percent", EvalPoint.Base));
        Assert.Equal("active_percent", Comparison.AtPoint("active_percent", null));
    }

    [Fact]
    public void A_row_point_that_is_no_eval_point_is_one_located_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"baseline-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, "[t]\ncolumns = [{ key = \"a\", header = \"A\", metric = \"m_stage1\" }]\n\n[[t.rows]]\nlabel = \"x\"\npoint = \"epoch3\"\na = 1\n");
        try
        {
            var error = Assert.Throws<LoraPar.Core.BadInputException>(() => BaselineFile.Load(path));
            Assert.DoesNotContain('\n', error.Message);
            Assert.Matches(@"\.toml:6:1 t\.rows\.point: expected ""base"", ""stage1"" or ""stage2""", error.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_narrow_comparison_has_one_row_per_cell()
    {
        var manifest = new PipelineManifest { Partition = new PartitionOptions { Alpha = 0.5, Beta = 1.0 } };
        var run = new RunResults(new RunVariant("alpha=0.5,beta=1", manifest, []),
            new Dictionary<string, double> { ["gsm8k_accuracy_stage1"] = 25.0, ["gsm8k_accuracy_stage2"] = 30.0 });
        var paper = Paper();
        var text = Comparison.RenderNarrow(paper, ["table2"], Comparison.Build(paper, ["table2"], [run]));
        var rows = text.Split('\n').Where(l => l.StartsWith("| α=0.5, β=1 ")).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["α=0.5, β=1", "24.94", "25.00", "+0.06"],
            rows[0].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where((_, i) => i != 1));
        Assert.Equal(18, text.Split('\n').Count(l => l.StartsWith("| α=")));
        Assert.All(text.Split('\n').Where(l => l.StartsWith('|')), l => Assert.True(l.Length <= 80, l));
        Assert.Contains("2 of 18 cells have a result of ours.", text);
    }

    [Fact]
    public void Markdown_tables_align_and_right_align_numbers()
    {
        var text = MarkdownTable.Render(["name", "value"], [["a", "1.00"], ["long name", "10.50"]]);
        Assert.Equal("| name      | value |\n| --------- | ----: |\n| a         |  1.00 |\n| long name | 10.50 |\n", text);
    }
}
