using LoraPar.Core;
using LoraPar.Synthetic;

namespace LoraPar.Synthetic.Tests;

public sealed class PretrainCorpusTests
{
    private static readonly DualSystemTask Task =
        DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { Seed = 11, System1 = new(40, 10), System2 = new(20, 10) });

    [Fact]
    public void Solved_fractions_and_tag_fraction_give_the_rounded_counts()
    {
        var config = new PretrainCorpusConfig { System1SolvedFraction = 0.25, System2SolvedFraction = 0.5, ReasoningTagFraction = 0.5 };
        var docs = PretrainCorpus.Build(Task, config);
        int Count(ReasoningSystem s, DocumentContent c) => docs.Count(d => d.SourceId.StartsWith($"s{(int)s}-") && d.Content == c);
        Assert.Equal(60, docs.Count);
        Assert.Equal(5, Count(ReasoningSystem.System1, DocumentContent.SolvedReasoningTags));   // round(0.5 * 10)
        Assert.Equal(5, Count(ReasoningSystem.System1, DocumentContent.SolvedGsm8k));           // 10 solved of 40
        Assert.Equal(30, Count(ReasoningSystem.System1, DocumentContent.QuestionOnly));
        Assert.Equal(5, Count(ReasoningSystem.System2, DocumentContent.SolvedReasoningTags));
        Assert.Equal(5, Count(ReasoningSystem.System2, DocumentContent.SolvedGsm8k));
        Assert.Equal(10, Count(ReasoningSystem.System2, DocumentContent.QuestionOnly));
    }

    [Fact]
    public void Eval_questions_never_enter_the_corpus_and_every_text_is_in_the_alphabet()
    {
        var docs = PretrainCorpus.Build(Task, new PretrainCorpusConfig { System1SolvedFraction = 1, System2SolvedFraction = 1 });
        Assert.All(docs, d => Assert.StartsWith("s", d.SourceId));
        Assert.DoesNotContain(docs, d => d.SourceId.Contains("-eval-"));
        Assert.DoesNotContain(docs, d => Task.Eval.Any(e => d.Text.Contains(e.Question)));
        Assert.All(docs, d => Assert.True(TaskAlphabet.Covers(d.Text), d.Text));
    }

    [Fact]
    public void Zero_fractions_without_questions_give_an_empty_corpus_and_the_build_is_deterministic()
    {
        Assert.Empty(PretrainCorpus.Build(Task, new PretrainCorpusConfig
        {
            System1SolvedFraction = 0, System2SolvedFraction = 0, IncludeUnsolvedQuestions = false,
        }));
        var config = new PretrainCorpusConfig { Seed = 3 };
        Assert.Equal(PretrainCorpus.Build(Task, config), PretrainCorpus.Build(Task, config));
        Assert.NotEqual(PretrainCorpus.Build(Task, config), PretrainCorpus.Build(Task, config with { Seed = 4 }));
    }

    [Fact]
    public void Documents_render_in_the_shared_prompt_layouts()
    {
        var item = new DualSystemItem("s2-train-00000", ReasoningSystem.System2, TaskKind.Chain,
            "Ann has 5 pens. She buys 3 more. She loses 2. How many pens does she have?",
            "She has 5+3=<<5+3=8>>8.\nShe has 8-2=<<8-2=6>>6.\n#### 6", 6);
        Assert.Equal("Question: Ann has 5 pens. She buys 3 more. She loses 2. How many pens does she have?\n",
            PretrainCorpus.Render(item, DocumentContent.QuestionOnly));
        Assert.Equal("Question: Ann has 5 pens. She buys 3 more. She loses 2. How many pens does she have?\nAnswer: " +
                     "She has 5+3=<<5+3=8>>8.\nShe has 8-2=<<8-2=6>>6.\n#### 6\n",
            PretrainCorpus.Render(item, DocumentContent.SolvedGsm8k));
        Assert.Equal("Question: Ann has 5 pens. She buys 3 more. She loses 2. How many pens does she have?\nShow your reasoning.\n" +
                     "<reasoning>\nShe has 5+3=<<5+3=8>>8.\nShe has 8-2=<<8-2=6>>6.\n</reasoning>\n<answer>\n6\n</answer>\n",
            PretrainCorpus.Render(item, DocumentContent.SolvedReasoningTags));
        Assert.Equal("<reasoning>\n12\n</reasoning>\n<answer>\n12\n</answer>\n", TaskPrompt.ReasoningCompletion([], 12));
    }

    [Fact]
    public void Jsonl_has_one_text_object_per_document()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "corpus.jsonl");
        var docs = PretrainCorpus.Build(Task, new PretrainCorpusConfig());
        PretrainCorpus.WriteJsonl(path, docs);
        var lines = File.ReadAllLines(path);
        Assert.Equal(docs.Count, lines.Length);
        var texts = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("text").GetString());
        Assert.Equal(docs.Select(d => d.Text), texts);
    }

    [Fact]
    public void Fractions_outside_zero_one_are_reported_together()
    {
        var error = Assert.Throws<BadInputException>(() =>
            PretrainCorpus.Build(Task, new PretrainCorpusConfig { System1SolvedFraction = 1.5, ReasoningTagFraction = double.NaN }));
        Assert.Contains("system1_solved_fraction", error.Message);
        Assert.Contains("reasoning_tag_fraction", error.Message);
    }

    [Fact]
    public void Drill_fraction_gives_that_share_of_characters_and_keeps_the_task_documents()
    {
        var without = PretrainCorpus.Build(Task, new PretrainCorpusConfig { System1SolvedFraction = 0.5, System2SolvedFraction = 0.5 });
        var with = PretrainCorpus.Build(Task, new PretrainCorpusConfig { System1SolvedFraction = 0.5, System2SolvedFraction = 0.5, DrillFraction = 0.25 });
        var drills = with.Where(d => d.Content == DocumentContent.ArithmeticDrill).ToList();
        Assert.Equal(without.Count, with.Count - drills.Count);
        Assert.All(drills, d => Assert.StartsWith("drill-", d.SourceId));
        double drillChars = drills.Sum(d => d.Text.Length), all = with.Sum(d => d.Text.Length);
        Assert.InRange(drillChars / all, 0.25, 0.25 + (double)drills.Max(d => d.Text.Length) / all);
        Assert.DoesNotContain(drills, d => Task.Eval.Any(e => d.Text.Contains(e.Question)));
    }

    [Fact]
    public void Drill_fraction_outside_its_range_is_reported()
    {
        var error = Assert.Throws<BadInputException>(() => PretrainCorpus.Build(Task, new PretrainCorpusConfig { DrillFraction = 0.99 }));
        Assert.Contains("drill_fraction", error.Message);
    }

    [Fact]
    public void Pool_items_enter_solved_and_never_repeat_a_train_or_eval_question()
    {
        var docs = PretrainCorpus.Build(Task, new PretrainCorpusConfig { System1SolvedFraction = 0, System2SolvedFraction = 0, PoolSize = 15 });
        var pool = docs.Where(d => d.SourceId.Contains("-pretrain-")).ToList();
        Assert.Equal(30, pool.Count);
        Assert.Equal(15, pool.Count(d => d.SourceId.StartsWith("s2-")));
        Assert.All(pool, d => Assert.NotEqual(DocumentContent.QuestionOnly, d.Content));
        Assert.Contains(pool, d => d.Content == DocumentContent.SolvedReasoningTags);
        var taskQuestions = Task.Train.Concat(Task.Eval).Select(i => $"Question: {i.Question}\n").ToList();
        Assert.DoesNotContain(pool, d => taskQuestions.Any(q => d.Text.Contains(q)));
        Assert.Equal(docs.Count - 30, docs.Count(d => d.Content == DocumentContent.QuestionOnly));
    }
}
