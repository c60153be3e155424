//! Where a call's Wasm instructions go, function by function, exactly.
//!
//! wasmtime's fuel counts the instructions of a whole call; to split it by
//! function, [`instrument`] rewrites a module so that every function calls
//! the host on entry and on leaving (`prof.enter(id)`, `prof.leave(id)`), and
//! the host reads the fuel left at each. No sampling: the same module and
//! input give the same table every time.
//!
//! The module must keep its name section (build it with `wasm-opt -g`, see
//! `BENCHMARKS.md`), or the table shows function indices. Instrumentation
//! adds 2 instructions to the caller and 2 to the callee per call (the
//! `i32.const` and `call` of each hook), and 1 per early `return` (now a
//! `br`); the totals line says how many that was in all.
//!
//! ```text
//! siyu-wasmtime profile NAMED.wasm INPUT.json [--top N]
//! ```
//! INPUT.json is `{"op": …, "input": …}`, as `siyu-wasmtime fuel --dump`
//! writes it.

use walrus::ir::{Block, Br, BrIf, BrTable, Instr, InstrSeqId, InstrSeqType, Return, VisitorMut};
use walrus::{FunctionId, Module, ValType};
use wasmtime::{Caller, Config, Engine, Linker, Store};

use crate::{Result, FUEL_PER_CALL};

/// One function's share of a call.
#[derive(Debug, Clone, Default)]
pub struct Cost {
    pub name: String,
    pub calls: u64,
    /// `memory.copy` and `memory.fill` run in it.
    pub bulk: u64,
    /// Instructions in the function itself.
    pub own: u64,
    /// Instructions in it and everything it called (outermost activation
    /// only, so recursion is not counted twice).
    pub inclusive: u64,
}

/// A rewritten module and the names of its functions by hook id.
pub struct Instrumented {
    pub bytes: Vec<u8>,
    pub names: Vec<String>,
}

/// Wraps every defined function's body as
/// `prof.enter(id); block { body } ; prof.leave(id)`, with each `return`
/// and each branch out of the body turned into a branch to the end of the
/// new block, so that every way out passes `leave`.
pub fn instrument(wasm: &[u8]) -> Result<Instrumented> {
    let mut module = Module::from_buffer(wasm).map_err(|e| format!("walrus: {e}"))?;
    let hook = module.types.add(&[ValType::I32], &[]);
    let (enter, _) = module.add_import_func("prof", "enter", hook);
    let (leave, _) = module.add_import_func("prof", "leave", hook);
    let (bulk, _) = module.add_import_func("prof", "bulk", hook);
    let ids: Vec<FunctionId> = module.funcs.iter_local().map(|(id, _)| id).collect();
    let mut names = Vec::new();
    for fid in ids {
        let id = names.len() as i32;
        let name = module.funcs.get(fid).name.clone().unwrap_or_else(|| format!("func[{}]", fid.index()));
        names.push(name);
        let results = {
            let ty = module.funcs.get(fid).ty();
            module.types.get(ty).results().to_vec()
        };
        let seq_ty = InstrSeqType::new(&mut module.types, &[], &results);
        let local = module.funcs.get_mut(fid).kind.unwrap_local_mut();
        let entry = local.entry_block();
        let body = std::mem::take(local.builder_mut().instr_seq(entry).instrs_mut());
        let inner = {
            let mut b = local.builder_mut().dangling_instr_seq(seq_ty);
            *b.instrs_mut() = body;
            b.id()
        };
        walrus::ir::dfs_pre_order_mut(&mut Retarget { from: entry, to: inner }, local, inner);
        walrus::ir::dfs_pre_order_mut(&mut CountBulk { id, hook: bulk }, local, inner);
        local.builder_mut().func_body().i32_const(id).call(enter).instr(Block { seq: inner }).i32_const(id).call(leave);
    }
    Ok(Instrumented { bytes: module.emit_wasm(), names })
}

/// Branches to the function's body, and returns, become branches to the
/// block that now holds the body.
struct Retarget {
    from: InstrSeqId,
    to: InstrSeqId,
}

impl VisitorMut for Retarget {
    fn visit_instr_mut(&mut self, instr: &mut Instr, _: &mut walrus::InstrLocId) {
        let fix = |b: &mut InstrSeqId| {
            if *b == self.from {
                *b = self.to
            }
        };
        match instr {
            Instr::Return(Return {}) => *instr = Instr::Br(Br { block: self.to }),
            Instr::Br(Br { block }) | Instr::BrIf(BrIf { block }) => fix(block),
            Instr::BrTable(BrTable { blocks, default }) => {
                blocks.iter_mut().for_each(fix);
                fix(default);
            }
            _ => {}
        }
    }
}

/// Before each `memory.copy` and `memory.fill`, `prof.bulk(id)`: V8 and
/// wasmtime run those as calls into the runtime, which fuel counts as one
/// instruction whatever they cost in time.
struct CountBulk {
    id: i32,
    hook: FunctionId,
}

impl VisitorMut for CountBulk {
    fn start_instr_seq_mut(&mut self, seq: &mut walrus::ir::InstrSeq) {
        if !seq.instrs.iter().any(|(i, _)| matches!(i, Instr::MemoryCopy(_) | Instr::MemoryFill(_))) {
            return;
        }
        let old = std::mem::take(&mut seq.instrs);
        for (instr, loc) in old {
            if matches!(instr, Instr::MemoryCopy(_) | Instr::MemoryFill(_)) {
                seq.instrs.push((Instr::Const(walrus::ir::Const { value: walrus::ir::Value::I32(self.id) }), loc));
                seq.instrs.push((Instr::Call(walrus::ir::Call { func: self.hook }), loc));
            }
            seq.instrs.push((instr, loc));
        }
    }
}

#[derive(Default)]
pub struct Tally {
    /// (id, fuel left on entry, instructions of callees)
    stack: Vec<(usize, u64, u64)>,
    active: Vec<u32>,
    costs: Vec<Cost>,
    /// (caller, callee) -> (calls, instructions in the callee)
    edges: std::collections::BTreeMap<(usize, usize), (u64, u64)>,
}

impl Tally {
    fn enter(&mut self, id: usize, left: u64) {
        self.stack.push((id, left, 0));
        self.active[id] += 1;
    }

    fn leave(&mut self, id: usize, left: u64) {
        let Some((top, at, callees)) = self.stack.pop() else { return };
        debug_assert_eq!(top, id);
        let spent = at - left;
        let c = &mut self.costs[top];
        c.calls += 1;
        c.own += spent - callees;
        self.active[top] -= 1;
        if self.active[top] == 0 {
            c.inclusive += spent;
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.2 += spent;
            let e = self.edges.entry((parent.0, top)).or_default();
            e.0 += 1;
            e.1 += spent;
        }
    }
}

/// The profile of one call of `op` on `input` in a fresh instance of the
/// instrumented module: every function that ran, and the call's total.
pub fn run(named: &[u8], op: &str, input: &[u8]) -> Result<Profile> {
    let inst = instrument(named)?;
    let mut config = Config::new();
    config.consume_fuel(true);
    let engine = Engine::new(&config).map_err(|e| e.to_string())?;
    let module = wasmtime::Module::new(&engine, &inst.bytes).map_err(|e| format!("instrumented module: {e:?}"))?;
    let costs = inst.names.iter().map(|n| Cost { name: n.clone(), ..Cost::default() }).collect();
    let tally = Tally { stack: Vec::new(), active: vec![0; inst.names.len()], costs, edges: Default::default() };
    let mut store = Store::new(&engine, tally);
    store.set_fuel(FUEL_PER_CALL).map_err(|e| e.to_string())?;
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("prof", "enter", |mut c: Caller<'_, Tally>, id: i32| {
            let left = c.get_fuel().unwrap_or(0);
            c.data_mut().enter(id as usize, left);
        })
        .map_err(|e| e.to_string())?;
    linker
        .func_wrap("prof", "leave", |mut c: Caller<'_, Tally>, id: i32| {
            let left = c.get_fuel().unwrap_or(0);
            c.data_mut().leave(id as usize, left);
        })
        .map_err(|e| e.to_string())?;
    linker
        .func_wrap("prof", "bulk", |mut c: Caller<'_, Tally>, id: i32| {
            if let Some(cost) = c.data_mut().costs.get_mut(id as usize) {
                cost.bulk += 1;
            }
        })
        .map_err(|e| e.to_string())?;
    linker.define_unknown_imports_as_traps(&module).map_err(|e| e.to_string())?;
    let instance = linker.instantiate(&mut store, &module).map_err(|e| format!("instantiate: {e}"))?;
    let memory = instance.get_memory(&mut store, "memory").ok_or("no memory export")?;
    let alloc = instance.get_typed_func::<i32, i32>(&mut store, "siyu_alloc").map_err(|e| e.to_string())?;
    let call =
        instance.get_typed_func::<(i32, i32, i32, i32), i32>(&mut store, "siyu_call").map_err(|e| e.to_string())?;
    let put = |store: &mut Store<Tally>, bytes: &[u8]| -> Result<i32> {
        let p = alloc.call(&mut *store, bytes.len() as i32).map_err(|e| e.to_string())?;
        memory.write(&mut *store, p as usize, bytes).map_err(|e| e.to_string())?;
        Ok(p)
    };
    let op_ptr = put(&mut store, op.as_bytes())?;
    let in_ptr = put(&mut store, input)?;
    // Only the call itself is counted: start afresh.
    for c in &mut store.data_mut().costs {
        *c = Cost { name: std::mem::take(&mut c.name), ..Cost::default() };
    }
    store.data_mut().edges.clear();
    store.set_fuel(FUEL_PER_CALL).map_err(|e| e.to_string())?;
    call.call(&mut store, (op_ptr, op.len() as i32, in_ptr, input.len() as i32))
        .map_err(|e| format!("siyu_call trapped: {e:?}"))?;
    let total = FUEL_PER_CALL - store.get_fuel().map_err(|e| e.to_string())?;
    let tally = std::mem::take(store.data_mut());
    Ok(Profile { costs: tally.costs, edges: tally.edges, total })
}

/// One call's profile.
pub struct Profile {
    /// By hook id; functions that did not run have no calls.
    pub costs: Vec<Cost>,
    /// (caller, callee) -> (calls, instructions in the callee)
    pub edges: std::collections::BTreeMap<(usize, usize), (u64, u64)>,
    /// The call's instructions, hooks included.
    pub total: u64,
}

impl Profile {
    /// Who called the functions whose names contain `what`, and what those
    /// calls cost.
    pub fn callers(&self, what: &str) -> String {
        self.calls(what, "callers", |_, callee| callee)
    }

    /// What the functions whose names contain `what` called, and what those
    /// calls cost.
    pub fn callees(&self, what: &str) -> String {
        self.calls(what, "callees", |caller, _| caller)
    }

    /// The call edges whose end `side` picks is named like `what`, costliest
    /// first.
    fn calls(&self, what: &str, title: &str, side: fn(usize, usize) -> usize) -> String {
        let mut rows: Vec<(u64, u64, &str, &str)> = self
            .edges
            .iter()
            .filter(|((caller, callee), _)| self.costs[side(*caller, *callee)].name.contains(what))
            .map(|((caller, callee), (n, spent))| {
                (*spent, *n, self.costs[*caller].name.as_str(), self.costs[*callee].name.as_str())
            })
            .collect();
        rows.sort_by(|a, b| b.cmp(a));
        let mut out = format!("\n{title} of *{what}*:\n{:>10} {:>8}  caller -> callee\n", "instr", "calls");
        for (spent, n, caller, callee) in rows.iter().take(60) {
            out.push_str(&format!("{spent:>10} {n:>8}  {caller} -> {callee}\n"));
        }
        out
    }
}

/// A table: the functions by their own instructions, and by inclusive ones.
pub fn report(p: &Profile, top: usize) -> String {
    let (costs, total) = (&p.costs[..], p.total);
    let pct = |n: u64| n as f64 * 100.0 / total.max(1) as f64;
    let costs: Vec<&Cost> = costs.iter().filter(|c| c.calls > 0).collect();
    let calls: u64 = costs.iter().map(|c| c.calls).sum();
    let bulk: u64 = costs.iter().map(|c| c.bulk).sum();
    let mut out = format!("{total} instructions in the call, of which about {} are the hooks ({calls} calls, {bulk} memory.copy/fill)\n\n", 4 * calls + 2 * bulk);
    let mut by_bulk: Vec<&&Cost> = costs.iter().filter(|c| c.bulk > 0).collect();
    by_bulk.sort_by(|a, b| b.bulk.cmp(&a.bulk).then(a.name.cmp(&b.name)));
    out.push_str(&format!("{:>8}  memory.copy/fill in (at most {top})\n", "count"));
    for c in by_bulk.iter().take(top) {
        out.push_str(&format!("{:>8}  {}\n", c.bulk, c.name));
    }
    out.push('\n');
    let mut by_own = costs.clone();
    by_own.sort_by(|a, b| b.own.cmp(&a.own).then(a.name.cmp(&b.name)));
    out.push_str(&format!(
        "{:>10} {:>6} {:>10} {:>6} {:>8}  function (by own instructions)\n",
        "own", "%", "inclusive", "%", "calls"
    ));
    for c in by_own.iter().take(top) {
        out.push_str(&format!(
            "{:>10} {:>5.1}% {:>10} {:>5.1}% {:>8}  {}\n",
            c.own,
            pct(c.own),
            c.inclusive,
            pct(c.inclusive),
            c.calls,
            c.name
        ));
    }
    let mut by_inc = costs;
    by_inc.sort_by(|a, b| b.inclusive.cmp(&a.inclusive).then(a.name.cmp(&b.name)));
    out.push_str(&format!(
        "\n{:>10} {:>6} {:>10} {:>6} {:>8}  function (by inclusive instructions)\n",
        "inclusive", "%", "own", "%", "calls"
    ));
    for c in by_inc.iter().take(top) {
        out.push_str(&format!(
            "{:>10} {:>5.1}% {:>10} {:>5.1}% {:>8}  {}\n",
            c.inclusive,
            pct(c.inclusive),
            c.own,
            pct(c.own),
            c.calls,
            c.name
        ));
    }
    out
}
