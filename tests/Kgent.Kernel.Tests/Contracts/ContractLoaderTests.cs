using Kgent.Kernel.Contracts;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Contracts;

/// <summary>Broken contract files give located, specific problems; good entries still load.</summary>
public sealed class ContractLoaderTests
{
    private static ContractLoadResult Load(string yaml) => ContractLoader.LoadTexts([("test.yaml", yaml)]);

    [Fact]
    public void Valid_entry_loads_with_its_clauses_and_notes()
    {
        var result = Load("""
            constants:
              AF_INET: 2
            contracts:
              - function: tcp_connect
                summary: a connect
                pre:
                  - sk != 0
                post:
                  - (int32)retval <= 0
                notes:
                  sk->__sk_common.skc_dport: network byte order
            """);

        Assert.Empty(result.Problems);
        var contract = Assert.Single(result.Contracts.Contracts);
        Assert.Equal(HookKind.Function, contract.Kind);
        Assert.Equal("sk != 0", Assert.Single(contract.Pre).Text);
        Assert.Equal(7, contract.Pre[0].Location.Line);
        Assert.Equal("skc_dport", Assert.Single(contract.Notes).Key);
        Assert.Equal(2, result.Contracts.Constants["AF_INET"]);
    }

    [Fact]
    public void Yaml_syntax_error_names_the_line()
    {
        var result = Load("contracts:\n  - function: x\n    pre: [a\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("KG5001", problem.Code);
        Assert.StartsWith("test.yaml:", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_expression_is_reported_at_its_line_and_the_entry_is_skipped()
    {
        var result = Load("""
            contracts:
              - function: tcp_connect
                summary: a connect
                pre:
                  - sk !=
              - tracepoint: sched:sched_switch
                summary: a switch
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("KG5003", problem.Code);
        Assert.Equal(5, problem.Location.Line);
        Assert.Equal("sched:sched_switch", Assert.Single(result.Contracts.Contracts).Name);
    }

    [Theory]
    [InlineData("contracts:\n  - function: a\n    tracepoint: b:c\n    summary: s\n", "KG5002")]
    [InlineData("contracts:\n  - tracepoint: nocolon\n    summary: s\n", "KG5002")]
    [InlineData("contracts:\n  - tracepoint: a:b\n    summary: s\n    post:\n      - retval == 0\n", "KG5006")]
    [InlineData("contracts:\n  - function: a\n    summery: s\n", "KG5002")]
    [InlineData("constants:\n  X: ten\n", "KG5005")]
    [InlineData("contracts:\n  - function: a\n    summary: s\n  - function: a\n    summary: t\n", "KG5004")]
    public void Schema_problems_have_specific_codes(string yaml, string code) =>
        Assert.Contains(Load(yaml).Problems, p => p.Code == code);

    [Fact]
    public void Misspelled_key_gets_a_suggestion()
    {
        var problem = Load("contracts:\n  - function: a\n    summery: s\n").Problems.First(p => p.Message.Contains("summery", StringComparison.Ordinal));

        Assert.Equal("did you mean 'summary'?", problem.Hint);
    }

    [Fact]
    public void Missing_directory_is_a_problem_not_an_exception()
    {
        var result = ContractLoader.Load("/nonexistent/contracts");

        Assert.Equal("KG5000", Assert.Single(result.Problems).Code);
        Assert.Empty(result.Contracts.Contracts);
    }

    [Fact]
    public void Validator_reports_missing_hooks_fields_and_parameters_with_hints()
    {
        var contracts = Load("""
            contracts:
              - function: tcp_conect
                summary: misspelled function
              - tracepoint: sock:inet_sock_set_state
                summary: misspelled field
                pre:
                  - args->dportt > 0
              - function: tcp_connect
                summary: wrong parameter and field
                pre:
                  - sock != 0
                  - sk->__sk_common.skc_dportt > 0
                post:
                  - sk != 0
            """).Contracts;

        var problems = ContractValidator.Validate(contracts, Catalogs.Snapshot);

        Assert.Contains(problems, p => p.Code == "KG5101" && p.Hint == "did you mean 'tcp_connect'?");
        Assert.Contains(problems, p => p.Code == "KG5102" && p.Message.Contains("dportt", StringComparison.Ordinal) && p.Location.Line == 7);
        Assert.Contains(problems, p => p.Code == "KG5102" && p.Hint is not null && p.Hint.Contains("its parameters are sk", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Code == "KG5102" && p.Message.Contains("skc_dportt", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Code == "KG5103");
    }

    [Fact]
    public void Parameter_named_like_a_builtin_is_the_parameter()
    {
        // kernel_clone's parameter is called 'args'.
        var contract = SymbolicCases.Contracts.FindFunction("kernel_clone")!;
        var problems = ContractValidator.Validate(new ContractSet([contract], SymbolicCases.Contracts.Constants), Catalogs.Snapshot);

        Assert.Empty(problems);
    }
}
