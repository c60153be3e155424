//! The points mall (积分商城, `points.mall`): items bought with points, each
//! a coupon into the wallet or a gift the host ships.

use crate::catalog::check_sku;
use crate::code;
use crate::coupon::wallet::issue;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::ledger::{refuse, Booking, Gift, Member};
use crate::rules::{checked_id, in_range, repeated_ids, At, Rules};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct MallItem {
    pub id: String,
    pub name: String,
    /// Price in points.
    pub cost: i64,
    pub reward: MallReward,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MallReward {
    /// Issues a coupon from this template.
    Coupon { template: String },
    /// A physical gift the host ships.
    Gift { sku: String },
}

pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let repeated = repeated_ids(&rules.points.mall, |x| x.id.as_str());
    for ((i, item), repeated) in rules.points.mall.iter().enumerate().zip(repeated) {
        // Full: nothing more would be recorded (the mall can be long).
        if p.full() {
            return;
        }
        let at = At("points.mall", i);
        checked_id(p, format_args!("{at}.id"), &item.id, repeated);
        in_range(p, format_args!("{at}.cost"), item.cost, 1, 1_000_000_000);
        match &item.reward {
            MallReward::Coupon { template } => {
                rules.check_template_ref(p, format_args!("{at}.reward.template"), template)
            }
            MallReward::Gift { sku } => check_sku(rules, p, format_args!("{at}.reward.sku"), sku, true),
        }
    }
}

/// `mall_exchanged`: the item's cost spent from the soonest-expiring lots,
/// and its reward: a coupon (`coupon` names it; default: the event's id) or
/// a gift.
pub(crate) fn exchanged(rules: &Rules, m: &mut Member, b: &Booking, item: &str, coupon: Option<&str>) -> Result<()> {
    let Some(it) = rules.points.mall.iter().find(|x| x.id == item) else {
        return Err(refuse(
            code::UNKNOWN_MALL_ITEM,
            "event.item",
            format!("积分商城没有 `{item}`"),
            format!("no points-mall item `{item}`"),
        ));
    };
    let reference = format!("mall:{}", b.id);
    m.points.spend(b.at, it.cost, &reference).map_err(|e| e.at("event.item"))?;
    match &it.reward {
        MallReward::Coupon { template } => {
            // Validation makes sure the template exists.
            let Some(t) = rules.template(template) else {
                return Err(refuse(
                    code::UNKNOWN_TEMPLATE,
                    "event.item",
                    format!("未知券模板 `{template}`"),
                    format!("unknown coupon template `{template}`"),
                ));
            };
            issue(rules, m, t, coupon.unwrap_or(b.id), b.at)?;
        }
        MallReward::Gift { sku } => m.gifts.push(Gift { sku: sku.clone(), at: b.at, reference }),
    }
    Ok(())
}
