//! Invite tasks (任务宝): invite N qualified friends before a deadline to
//! unlock tiered rewards (`docs/rules.md` §11).
//!
//! - **Who counts.** A friend is a member bound to the inviter with
//!   `referral_bound` (`growth/referral.rs`) while the task is open. They
//!   count once they qualify as the task says: `joined` (the binding
//!   itself), `followed` (the host books `followed` when the member follows
//!   the official account, before or after the binding), or `first_order`
//!   (an order that completes keeping at least `min_payable` fen paid).
//! - **Steps are effects.** Whenever a friend's standing in a task changes
//!   (pending, qualified, dropped), booking the friend's event returns an
//!   `invite_task_step` effect for the inviter's log, with a deterministic
//!   id (`ledger/mod.rs`). The inviter's state keeps each friend's latest
//!   standing, so progress is a count, never negative.
//! - **Take-backs.** A refund that leaves the qualifying order below
//!   `min_payable` (or refunds it in full) puts the friend back to pending
//!   (a later order may qualify again); `left` (the host books it when the
//!   member unfollows or cancels membership) drops them from every task for
//!   good. Each is a step like any other.
//! - **Rewards.** Booking a step that brings the qualified count to a
//!   tier's `invites` pays that tier (points as a lot, a coupon, growth, a
//!   gift SKU to ship), once: a tier granted stays granted. A take-back
//!   after it was granted keeps the reward; progress shows fewer qualified
//!   than the tier, and reaching it again pays nothing more.
//! - **The deadline.** A task is open from `from` (inclusive) to `until`
//!   (exclusive), local time. No step is made or booked outside it: the
//!   count at the deadline is final.
//!
//! Sharing itself is never rewarded (WeChat's platform rules): rewards
//! follow what the friends do.

use crate::code;
use crate::coupon::wallet::issue;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::growth::referral::{invitee_of, template};
use crate::ledger::{refuse, Booking, EventKind, Gift, Member};
use crate::money::Fen;
use crate::rules::{check_id, in_range, unique_id, At, Rules, MAX_RULE_FEN};
use crate::sorting::SortedSet;
use crate::time::{LocalTime, Millis};

/// Most invite tasks in the rules.
pub const MAX_INVITE_TASKS: usize = 16;
/// Most tiers in one task.
pub const MAX_TASK_TIERS: usize = 8;
/// Most friends an inviter's progress in one task records; steps for more
/// are booked and counted in `over`, changing nothing else.
pub const MAX_TASK_FRIENDS: usize = 1_000;

/// One invite task of the rules' `invite_tasks`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct InviteTask {
    pub id: String,
    /// Open from this local time (inclusive) …
    pub from: LocalTime,
    /// … until this one (exclusive): the deadline.
    pub until: LocalTime,
    /// What a friend does to count.
    pub qualify: TaskQualify,
    /// For `first_order`: the least an order must keep paid, in fen.
    #[serde(default)]
    pub min_payable: Fen,
    /// Rewards by friends qualified, ascending.
    pub tiers: Vec<TaskTier>,
}

/// What a friend does to count in an invite task.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum TaskQualify {
    /// Being bound (the binding follows `joined`).
    Joined,
    /// Following the official account: the host books `followed`.
    Followed,
    /// An order that completes keeping at least `min_payable` paid.
    FirstOrder,
}

/// A tier: its reward, paid once when `invites` friends have qualified.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct TaskTier {
    pub invites: u32,
    #[serde(default)]
    pub points: i64,
    /// A coupon template's id.
    #[serde(default)]
    pub coupon: Option<String>,
    #[serde(default)]
    pub growth: i64,
    /// A catalog SKU the host ships as a gift.
    #[serde(default)]
    pub gift: Option<String>,
}

/// A friend's standing in a task.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Bound in the task's window, not (or no longer) qualified.
    Pending,
    /// Counts.
    Qualified,
    /// Left: never counts again.
    Dropped,
}

/// A member's invite-task state, as a friend and as an inviter.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct InviteTasks {
    /// `followed` was booked.
    #[serde(default)]
    pub followed: bool,
    /// `left` was booked.
    #[serde(default)]
    pub left: bool,
    /// As a friend: their standing in each task open when they were bound.
    #[serde(default)]
    pub friend_of: Vec<FriendStep>,
    /// As an inviter: progress in each task, by task id.
    #[serde(default)]
    pub progress: Vec<TaskProgress>,
}

/// A friend's own record of a task they count in.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct FriendStep {
    pub task: String,
    pub standing: Standing,
    /// For `first_order`: the order that qualifies, while it is kept.
    #[serde(default)]
    pub order: Option<String>,
}

/// An inviter's progress in one task.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct TaskProgress {
    pub task: String,
    /// Each friend's latest standing, by member id.
    pub friends: Vec<Friend>,
    /// Tiers paid, by their `invites`, and when.
    pub granted: Vec<Granted>,
    /// Steps for friends beyond `MAX_TASK_FRIENDS`, booked without effect.
    pub over: u32,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Friend {
    pub invitee: String,
    pub standing: Standing,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Granted {
    pub invites: u32,
    pub at: Millis,
}

impl TaskProgress {
    /// Friends of each standing: (qualified, pending).
    pub fn counts(&self) -> (u32, u32) {
        let (mut q, mut p) = (0u32, 0u32);
        for f in &self.friends {
            match f.standing {
                Standing::Qualified => q += 1,
                Standing::Pending => p += 1,
                Standing::Dropped => {}
            }
        }
        (q, p)
    }
}

impl InviteTask {
    /// Whether the task is open at `at`.
    pub(crate) fn open(&self, rules: &Rules, at: Millis) -> bool {
        let z = rules.zone();
        self.from.instant(z) <= at && at < self.until.instant(z)
    }
}

impl Rules {
    pub(crate) fn invite_task(&self, id: &str) -> Option<&InviteTask> {
        self.invite_tasks.iter().find(|t| t.id == id)
    }
}

/// The `invite_tasks` block's checks.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    if rules.invite_tasks.is_empty() {
        return;
    }
    if rules.invite_tasks.len() > MAX_INVITE_TASKS {
        p.push(code::TOO_MANY, "invite_tasks", "任务宝最多 16 个", "at most 16 invite tasks");
        return;
    }
    if rules.referral.is_none() {
        p.push(
            code::INVITE_TASK_NEEDS_REFERRAL,
            "invite_tasks",
            "任务宝依赖邀请绑定：请设置 `referral`",
            "invite tasks count friends bound by referral: the rules need a `referral` block",
        );
    }
    let mut ids = SortedSet::new();
    for (i, t) in rules.invite_tasks.iter().enumerate() {
        let at = At("invite_tasks", i);
        unique_id(p, &mut ids, format_args!("{at}.id"), &t.id);
        if t.until <= t.from {
            p.push(
                code::WINDOW_ENDS_BEFORE_START,
                format!("{at}.until"),
                "任务截止时间须晚于开始时间",
                "the task must end after it starts",
            );
        }
        in_range(p, format_args!("{at}.min_payable"), t.min_payable, 0, MAX_RULE_FEN);
        if t.qualify != TaskQualify::FirstOrder && t.min_payable != 0 {
            p.push(
                code::OUT_OF_RANGE,
                format!("{at}.min_payable"),
                "仅首单任务可设置最低实付",
                "min_payable applies to `first_order` only",
            );
        }
        if t.tiers.is_empty() || t.tiers.len() > MAX_TASK_TIERS {
            p.push(code::TOO_MANY, format!("{at}.tiers"), "阶梯须为 1 到 8 个", "a task has 1 to 8 tiers");
        }
        let mut last = 0u32;
        for (k, tier) in t.tiers.iter().enumerate().take(MAX_TASK_TIERS) {
            let tat = format!("{at}.tiers[{k}]");
            in_range(p, format_args!("{tat}.invites"), i64::from(tier.invites), 1, MAX_TASK_FRIENDS as i64);
            if k > 0 && tier.invites <= last {
                p.push(
                    code::INVITE_TASK_TIERS_NOT_ASCENDING,
                    format!("{tat}.invites"),
                    "阶梯人数须严格递增",
                    "each tier must ask for more friends than the one before",
                );
            }
            last = tier.invites;
            in_range(p, format_args!("{tat}.points"), tier.points, 0, MAX_RULE_FEN);
            in_range(p, format_args!("{tat}.growth"), tier.growth, 0, MAX_RULE_FEN);
            if let Some(c) = &tier.coupon {
                rules.check_template_ref(p, format_args!("{tat}.coupon"), c);
            }
            if let Some(s) = &tier.gift {
                crate::catalog::check_sku(rules, p, format_args!("{tat}.gift"), s, true);
            }
            if tier.points == 0 && tier.growth == 0 && tier.coupon.is_none() && tier.gift.is_none() {
                p.push(code::OUT_OF_RANGE, tat, "该阶梯没有奖励", "the tier rewards nothing");
            }
        }
    }
}

/// `followed` and `left` on a member.
pub(crate) fn flag(m: &mut Member, left: bool) {
    let s = m.invite_tasks.get_or_insert_with(InviteTasks::default);
    if left {
        s.left = true;
    } else {
        s.followed = true;
    }
}

/// After an event on a bound friend: a binding enters each open task, and
/// each task whose standing changed makes an `invite_task_step` for the
/// inviter. Effects make no effects.
pub(crate) fn follow(rules: &Rules, m: &mut Member, b: &mut Booking, kind: &EventKind) -> Result<()> {
    if rules.invite_tasks.is_empty() {
        return Ok(());
    }
    let Some(inviter) = m.referral.as_ref().map(|r| r.inviter.clone()) else { return Ok(()) };
    match kind {
        EventKind::InviteTaskStep { .. } | EventKind::ReferralReward { .. } => return Ok(()),
        EventKind::ReferralBound { .. } => {
            for t in rules.invite_tasks.iter().filter(|t| t.open(rules, b.at)) {
                // Pending for now: a step is made below only if it differs.
                let s = m.invite_tasks.get_or_insert_with(InviteTasks::default);
                s.friend_of.push(FriendStep { task: t.id.clone(), standing: Standing::Pending, order: None });
            }
        }
        _ => {}
    }
    let Some(mut s) = m.invite_tasks.take() else { return Ok(()) };
    let bound_now = matches!(kind, EventKind::ReferralBound { .. });
    for step in &mut s.friend_of {
        let Some(t) = rules.invite_task(&step.task) else { continue };
        if !t.open(rules, b.at) || step.standing == Standing::Dropped {
            continue;
        }
        let kept = |order: &str| {
            m.orders.get(order).is_some_and(|o| !o.fully_refunded() && o.payable - o.refunded >= t.min_payable)
        };
        let now = if s.left {
            Standing::Dropped
        } else {
            let q = match t.qualify {
                TaskQualify::Joined => true,
                TaskQualify::Followed => s.followed,
                TaskQualify::FirstOrder => {
                    if step.order.as_deref().is_some_and(|o| !kept(o)) {
                        step.order = None;
                    }
                    if let EventKind::OrderCompleted { order } = kind {
                        if step.order.is_none() && kept(order) {
                            step.order = Some(order.clone());
                        }
                    }
                    step.order.is_some()
                }
            };
            if q {
                Standing::Qualified
            } else {
                Standing::Pending
            }
        };
        if now != step.standing || bound_now {
            step.standing = now;
            b.effect(&inviter, EventKind::InviteTaskStep { task: t.id.clone(), invitee: m.id.clone(), standing: now });
        }
    }
    m.invite_tasks = Some(s);
    Ok(())
}

/// `invite_task_step` on the inviter: the friend's standing, then any tier
/// reached for the first time is paid.
pub(crate) fn stepped(
    rules: &Rules,
    m: &mut Member,
    b: &Booking,
    task: &str,
    invitee: &str,
    st: Standing,
) -> Result<()> {
    let t = rules.invite_task(task).ok_or_else(|| {
        refuse(
            code::INVITE_TASK_UNKNOWN,
            "event.task",
            format!("未知任务宝 `{task}`"),
            format!("unknown invite task `{task}`"),
        )
    })?;
    invitee_of(m, invitee)?;
    if !t.open(rules, b.at) {
        return Err(refuse(
            code::INVITE_TASK_CLOSED,
            "event.at",
            format!("任务宝 `{task}` 不在进行中"),
            format!("invite task `{task}` is not open at this time"),
        ));
    }
    let s = m.invite_tasks.get_or_insert_with(InviteTasks::default);
    let i = match s.progress.binary_search_by(|p| p.task.as_str().cmp(task)) {
        Ok(i) => i,
        Err(i) => {
            s.progress.insert(i, TaskProgress { task: task.to_string(), ..TaskProgress::default() });
            i
        }
    };
    let Some(pr) = s.progress.get_mut(i) else { return Ok(()) };
    match pr.friends.binary_search_by(|f| f.invitee.as_str().cmp(invitee)) {
        Ok(k) => {
            if let Some(f) = pr.friends.get_mut(k) {
                f.standing = st;
            }
        }
        Err(_) if pr.friends.len() >= MAX_TASK_FRIENDS => {
            pr.over = pr.over.saturating_add(1);
            return Ok(());
        }
        Err(k) => pr.friends.insert(k, Friend { invitee: invitee.to_string(), standing: st }),
    }
    let (qualified, _) = pr.counts();
    // The tiers due now, as a bit per tier (checked rules have at most
    // `MAX_TASK_TIERS`): no list of them is built, and the member is free
    // to change while they are paid.
    let mut due = 0u32;
    for (k, tier) in t.tiers.iter().enumerate().take(MAX_TASK_TIERS) {
        if tier.invites <= qualified && !pr.granted.iter().any(|g| g.invites == tier.invites) {
            due |= 1 << k;
            pr.granted.push(Granted { invites: tier.invites, at: b.at });
        }
    }
    let reference = format!("invite_task:{task}");
    for (k, tier) in t.tiers.iter().enumerate().take(MAX_TASK_TIERS) {
        if due & (1 << k) == 0 {
            continue;
        }
        m.points.earn(rules.zone(), rules.points.expiry, b.at, tier.points, "invite_task", b.id)?;
        if let Some(tid) = &tier.coupon {
            let tpl = template(rules, "event.task", tid)?;
            // One coupon id per tier, derived from the step (43 bytes).
            let id = format!("tk-{}", crate::ledger::effect_id(&m.id, b.id, k).get(3..).unwrap_or_default());
            issue(rules, m, tpl, &id, b.at)?;
        }
        m.add_growth(rules, b.at, tier.growth, &reference);
        if let Some(sku) = &tier.gift {
            m.gifts.push(Gift { sku: sku.clone(), at: b.at, reference: reference.clone() });
        }
    }
    Ok(())
}

/// Progress in one task, for the UI (`member_summary`).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct TaskView {
    pub task: String,
    /// Open at `now`.
    pub open: bool,
    /// Friends who count now.
    pub qualified: u32,
    /// Friends bound in the window who do not (or no longer) count.
    pub pending: u32,
    /// The next tier not yet granted (its `invites`), and how many more
    /// friends reach it; none when every tier is granted.
    pub next_tier: Option<u32>,
    pub needed: u32,
    /// The deadline, and ms from `now` until it (0 once passed).
    pub until: Millis,
    pub time_left_ms: Millis,
    /// Tiers already granted (kept even if friends were taken back).
    pub granted: Vec<Granted>,
}

/// Every task open at `now` or with progress, in the rules' order.
pub(crate) fn views(rules: &Rules, m: &Member, now: Millis) -> Vec<TaskView> {
    let mut out = Vec::new();
    for t in &rules.invite_tasks {
        let pr = m.invite_tasks.as_ref().and_then(|s| s.progress.iter().find(|p| p.task == t.id));
        let open = t.open(rules, now);
        if !open && pr.is_none() {
            continue;
        }
        let (qualified, pending) = pr.map(TaskProgress::counts).unwrap_or((0, 0));
        let granted = pr.map(|p| p.granted.clone()).unwrap_or_default();
        let next_tier = t.tiers.iter().map(|x| x.invites).find(|n| !granted.iter().any(|g| g.invites == *n));
        let until = t.until.instant(rules.zone());
        out.push(TaskView {
            task: t.id.clone(),
            open,
            qualified,
            pending,
            next_tier,
            needed: next_tier.map_or(0, |n| n.saturating_sub(qualified)),
            until,
            time_left_ms: (until - now).max(0),
            granted,
        });
    }
    out
}

/// Part of [`Member::check`]: ids and sizes.
pub(crate) fn check_state(m: &Member, p: &mut Problems) {
    let Some(s) = &m.invite_tasks else { return };
    if s.friend_of.len() > MAX_TASK_FRIENDS || s.progress.len() > MAX_TASK_FRIENDS {
        p.push(code::TOO_MANY, "member.invite_tasks", "任务宝记录过多", "too many invite-task entries");
        return;
    }
    for (i, f) in s.friend_of.iter().enumerate() {
        check_id(p, format_args!("member.invite_tasks.friend_of[{i}].task"), &f.task);
    }
    for (i, pr) in s.progress.iter().enumerate() {
        check_id(p, format_args!("member.invite_tasks.progress[{i}].task"), &pr.task);
        if pr.friends.len() > MAX_TASK_FRIENDS || pr.granted.len() > MAX_TASK_TIERS {
            p.push(
                code::TOO_MANY,
                format!("member.invite_tasks.progress[{i}]"),
                "任务宝记录过多",
                "too many invite-task entries",
            );
        }
        crate::ledger::member::count(p, format_args!("member.invite_tasks.progress[{i}].over"), pr.over);
    }
}
