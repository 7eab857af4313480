using System.Text.Encodings.Web;
using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// How much of the task the tiny base model sees before fine-tuning. Of each system's train items, the fraction
/// <c>SolvedFraction</c> enters the corpus with its solution and the rest (when <see cref="IncludeUnsolvedQuestions"/>)
/// as the question alone, so the base model knows the language of all questions but has solved only some — partial skill
/// that leaves room for SFT and RL. Eval items never enter the corpus.
/// </summary>
public sealed record PretrainCorpusConfig
{
    /// <summary>Seed of the choice of solved items and of the document order.</summary>
    public long Seed { get; init; } = 7;

    /// <summary>Fraction of System-1 train items included with their answer.</summary>
    public double System1SolvedFraction { get; init; } = 0.3;

    /// <summary>Fraction of System-2 train items included with their solution.</summary>
    public double System2SolvedFraction { get; init; } = 0.3;

    /// <summary>Of the solved documents, the fraction written in <see cref="PromptStyle.ReasoningTags"/> (the rest in GSM8K style).</summary>
    public double ReasoningTagFraction { get; init; } = 0.5;

    /// <summary>Whether unsolved train items contribute their question as a document of its own.</summary>
    public bool IncludeUnsolvedQuestions { get; init; } = true;

    /// <summary>
    /// Share of the corpus characters given to <see cref="ArithmeticDrill"/> documents (0 = none; 0.5 = as many drill
    /// characters as task characters). Must lie in [0, 0.95].
    /// </summary>
    public double DrillFraction { get; init; }

    /// <summary>
    /// Items per system drawn beyond the task's train and eval splits (<see cref="DualSystemTaskGenerator.PretrainPool"/>),
    /// each entering the corpus solved: the task's kind of problem, without its train or eval questions. 0 = none.
    /// </summary>
    public int PoolSize { get; init; }

    /// <summary>Facts per drill document.</summary>
    public int DrillFactsPerDocument { get; init; } = 16;

    /// <summary>Throws <see cref="BadInputException"/> listing every fraction outside [0, 1].</summary>
    public void Validate()
    {
        var problems = new List<string>();
        void Fraction(double value, string name) { if (!(value >= 0 && value <= 1)) problems.Add($"{name} must lie in [0, 1], got {value}"); }
        Fraction(System1SolvedFraction, "system1_solved_fraction");
        Fraction(System2SolvedFraction, "system2_solved_fraction");
        Fraction(ReasoningTagFraction, "reasoning_tag_fraction");
        if (!(DrillFraction >= 0 && DrillFraction <= 0.95)) problems.Add($"drill_fraction must lie in [0, 0.95], got {DrillFraction}");
        if (PoolSize < 0) problems.Add($"pool_size must be non-negative, got {PoolSize}");
        if (DrillFactsPerDocument < 1) problems.Add($"drill_facts_per_document must be at least 1, got {DrillFactsPerDocument}");
        if (problems.Count > 0)
            throw new BadInputException("invalid pretraining corpus configuration:\n  " + string.Join("\n  ", problems) +
                                        "\nFix these values in the manifest's pretrain section.");
    }
}

/// <summary>What a pretraining document holds.</summary>
public enum DocumentContent
{
    /// <summary>The question alone: <c>Question: q\n</c>.</summary>
    QuestionOnly,

    /// <summary>Prompt and gold completion in GSM8K style.</summary>
    SolvedGsm8k,

    /// <summary>Prompt and gold completion in the reasoning-tag style.</summary>
    SolvedReasoningTags,

    /// <summary>Lines of arithmetic facts (<see cref="ArithmeticDrill"/>), no task item.</summary>
    ArithmeticDrill,
}

/// <summary>One plain-text document of the pretraining corpus and the train item it came from.</summary>
public sealed record PretrainDocument(string SourceId, DocumentContent Content, string Text);

/// <summary>Builds the plain-text corpus the tiny base model is pretrained on, from a task's train split.</summary>
public static class PretrainCorpus
{
    /// <summary>
    /// The documents in a seeded order: train items solved for the chosen fractions and question-only for the rest, the
    /// solved pool items (<see cref="PretrainCorpusConfig.PoolSize"/> per system), and arithmetic drills for
    /// <see cref="PretrainCorpusConfig.DrillFraction"/> of the characters.
    /// </summary>
    public static IReadOnlyList<PretrainDocument> Build(DualSystemTask task, PretrainCorpusConfig config)
    {
        config.Validate();
        var rng = new DeterministicRandom(config.Seed);
        var documents = new List<PretrainDocument>();
        foreach (var system in Enum.GetValues<ReasoningSystem>())
        {
            var items = rng.Shuffle(task.Items(DataSplit.Train, system));
            var fraction = system == ReasoningSystem.System1 ? config.System1SolvedFraction : config.System2SolvedFraction;
            var solved = (int)Math.Round(fraction * items.Count, MidpointRounding.AwayFromZero);
            var tagged = (int)Math.Round(config.ReasoningTagFraction * solved, MidpointRounding.AwayFromZero);
            for (var i = 0; i < items.Count; i++)
            {
                var content = i < tagged ? DocumentContent.SolvedReasoningTags
                    : i < solved ? DocumentContent.SolvedGsm8k
                    : DocumentContent.QuestionOnly;
                if (content == DocumentContent.QuestionOnly && !config.IncludeUnsolvedQuestions) continue;
                documents.Add(new PretrainDocument(items[i].Id, content, Render(items[i], content)));
            }
        }
        documents.AddRange(Pool(task, config, rng));
        documents.AddRange(Drills(task, config, documents.Sum(d => (long)d.Text.Length), rng));
        return rng.Shuffle(documents);
    }

    private static IEnumerable<PretrainDocument> Pool(DualSystemTask task, PretrainCorpusConfig config, DeterministicRandom rng)
    {
        foreach (var system in Enum.GetValues<ReasoningSystem>())
        {
            var pool = DualSystemTaskGenerator.PretrainPool(task.Config, system, config.PoolSize);
            var tagged = (int)Math.Round(config.ReasoningTagFraction * pool.Count, MidpointRounding.AwayFromZero);
            var order = rng.Shuffle(Enumerable.Range(0, pool.Count));
            for (var i = 0; i < pool.Count; i++)
            {
                var content = i < tagged ? DocumentContent.SolvedReasoningTags : DocumentContent.SolvedGsm8k;
                var item = pool[order[i]];
                yield return new PretrainDocument(item.Id, content, Render(item, content));
            }
        }
    }

    private static IEnumerable<PretrainDocument> Drills(DualSystemTask task, PretrainCorpusConfig config, long taskCharacters, DeterministicRandom rng)
    {
        if (config.DrillFraction <= 0) return [];
        var characters = (long)Math.Ceiling(taskCharacters * config.DrillFraction / (1 - config.DrillFraction));
        return ArithmeticDrill.Documents(task.Config.Ranges, characters, config.DrillFactsPerDocument, rng)
            .Select((text, i) => new PretrainDocument($"drill-{i:D5}", DocumentContent.ArithmeticDrill, text));
    }

    /// <summary>The text of <paramref name="item"/> as a document of kind <paramref name="content"/>.</summary>
    public static string Render(DualSystemItem item, DocumentContent content) => content switch
    {
        DocumentContent.QuestionOnly => $"Question: {item.Question}\n",
        DocumentContent.SolvedGsm8k => TaskPrompt.Prompt(item.Question, PromptStyle.Gsm8k) + TaskPrompt.Completion(item, PromptStyle.Gsm8k),
        DocumentContent.SolvedReasoningTags =>
            TaskPrompt.Prompt(item.Question, PromptStyle.ReasoningTags) + TaskPrompt.Completion(item, PromptStyle.ReasoningTags),
        _ => throw new ArgumentOutOfRangeException(nameof(content), content, "drills are not rendered from a task item"),
    };

    /// <summary>Atomically writes the documents as JSONL, one <c>{"text": …}</c> object per line.</summary>
    public static void WriteJsonl(string path, IEnumerable<PretrainDocument> documents)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        AtomicFile.Write(path, stream =>
        {
            foreach (var document in documents)
            {
                using (var json = new Utf8JsonWriter(stream, options))
                {
                    json.WriteStartObject();
                    json.WriteString("text", document.Text);
                    json.WriteEndObject();
                }
                stream.WriteByte((byte)'\n');
            }
        });
    }
}
