using LoraPar.Core;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Tests.Manifest;

public sealed class ExtendsOverridesTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private const string Base =
        "seed = 3\n[lora]\nr = 4\ndropout = 0.1\n[data]\nsynthetic_train_size = 40\n[data.synthetic_ranges]\naddend_max = 5\n";

    [Fact]
    public void Replace_true_makes_a_table_start_from_the_defaults_instead_of_the_base()
    {
        _ws.Write("base.toml", Base);
        _ws.Write("own.jsonl", "{\"question\":\"q\",\"answer\":\"a\"}\n");
        _ws.Write("child.toml", "extends = \"base.toml\"\n[data]\nreplace = true\ndataset = \"question-answer\"\ntrain = \"own.jsonl\"\n");
        var m = _ws.Load("child.toml").Manifest;
        Assert.Equal((DatasetKind.QuestionAnswer, 400, 9), (m.Data.Dataset, m.Data.SyntheticTrainSize, m.Data.SyntheticRanges.AddendMax));
        Assert.Equal((3L, 4), (m.Seed, m.Lora.R));
    }

    [Fact]
    public void Without_replace_the_inherited_synthetic_keys_clash_with_a_file_dataset()
    {
        _ws.Write("base.toml", Base);
        _ws.Write("own.jsonl", "{\"question\":\"q\",\"answer\":\"a\"}\n");
        _ws.Write("child.toml", "extends = \"base.toml\"\n[data]\ndataset = \"question-answer\"\ntrain = \"own.jsonl\"\n");
        Assert.Contains("synthetic_train_size sizes the synthetic task", Assert.Throws<BadInputException>(() => _ws.Load("child.toml")).Message);
    }

    [Fact]
    public void Unset_removes_inherited_keys_and_tables_by_dotted_path()
    {
        _ws.Write("base.toml", Base);
        _ws.Write("child.toml", "extends = \"base.toml\"\nunset = [\"lora.dropout\", \"data.synthetic_ranges\"]\n[lora]\nunset = [\"r\"]\n");
        var m = _ws.Load("child.toml").Manifest;
        Assert.Equal((8, 0.05, 9, 40), (m.Lora.R, m.Lora.Dropout, m.Data.SyntheticRanges.AddendMax, m.Data.SyntheticTrainSize));
    }

    [Theory]
    [InlineData("extends = \"base.toml\"\nunset = [\"lora.alpha\"]\n", "child.toml:2:10 unset: 'lora.alpha' is not set by the base manifest, so there is nothing to unset")]
    [InlineData("extends = \"base.toml\"\nunset = \"lora\"\n", "child.toml:2:9 unset: expected an array of key names")]
    [InlineData("extends = \"base.toml\"\n[lora]\nreplace = \"yes\"\n", "child.toml:3:11 lora.replace: expected a boolean")]
    [InlineData("[lora]\nreplace = true\n", "child.toml:2:1 lora.replace: 'replace' drops inherited values, but this manifest extends no base")]
    public void Override_mistakes_are_placed_errors(string child, string expected)
    {
        _ws.Write("base.toml", Base);
        _ws.Write("child.toml", child);
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => _ws.Load("child.toml")).Message);
    }

    [Fact]
    public void A_misspelt_section_holding_an_unset_is_also_named_as_misspelt()
    {
        _ws.Write("base.toml", Base);
        _ws.Write("child.toml", "extends = \"base.toml\"\n[lroa]\nunset = [\"r\"]\n");
        var message = Assert.Throws<BadInputException>(() => _ws.Load("child.toml")).Message;
        Assert.Contains("child.toml:3:10 lroa.unset: 'r' is not set by the base manifest", message);
        Assert.Matches(@"child\.toml:2:\d+ lroa: unknown.*lora", message);
    }
}
