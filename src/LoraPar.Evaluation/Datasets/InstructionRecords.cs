namespace LoraPar.Evaluation.Datasets;

/// <summary>A databricks-dolly-15k record.</summary>
public sealed record DollyRecord(string Id, string Instruction, string Context, string Response, string Category)
{
    /// <summary>The fields of the format (<c>context</c> may be empty or absent).</summary>
    public static IReadOnlyList<string> Fields { get; } = ["instruction", "context", "response", "category"];

    /// <summary>Reads a row.</summary>
    public static DollyRecord FromRow(MappedRow row, string id) =>
        new(id, row.Text("instruction"), row.OptionalText("context"), row.Text("response"), row.OptionalText("category"));

    /// <summary>The training shape: Alpaca prompt with the context as input.</summary>
    public Example ToExample() => new(Id, InstructionTemplate.Format(Instruction, Context), Response, null,
        new Dictionary<string, string> { ["question"] = Instruction, ["category"] = Category });
}

/// <summary>An Open-Platypus record.</summary>
public sealed record PlatypusRecord(string Id, string Instruction, string Output)
{
    /// <summary>The fields of the format.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["instruction", "output"];

    /// <summary>Reads a row.</summary>
    public static PlatypusRecord FromRow(MappedRow row, string id) => new(id, row.Text("instruction"), row.Text("output"));

    /// <summary>The training shape: Alpaca prompt without input.</summary>
    public Example ToExample() => new(Id, InstructionTemplate.Format(Instruction, ""), Output, null,
        new Dictionary<string, string> { ["question"] = Instruction });
}

/// <summary>A CodeAlpaca-20k record.</summary>
public sealed record CodeAlpacaRecord(string Id, string Instruction, string Input, string Output)
{
    /// <summary>The fields of the format (<c>input</c> may be empty or absent).</summary>
    public static IReadOnlyList<string> Fields { get; } = ["instruction", "input", "output"];

    /// <summary>Reads a row.</summary>
    public static CodeAlpacaRecord FromRow(MappedRow row, string id) =>
        new(id, row.Text("instruction"), row.OptionalText("input"), row.Text("output"));

    /// <summary>The training shape: Alpaca prompt with the input.</summary>
    public Example ToExample() => new(Id, InstructionTemplate.Format(Instruction, Input), Output, null,
        new Dictionary<string, string> { ["question"] = Instruction });
}
